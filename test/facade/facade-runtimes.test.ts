/** The facade on both entry points (Node build, `deno run`) with the demo agent: body reading and SSE on each runtime. */

import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { denoRelayCommand, nodeRelayCommand, startRelayProcess, type RelayProcess } from '../helpers/spawn.ts';

const TOKEN = 'client-token-0123456789abcdef';
let running: RelayProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe.each([
  ['node', nodeRelayCommand],
  ['deno', denoRelayCommand],
] as const)('the facade on %s', (_runtime, command) => {
  it('streams the demo agent through the openai SDK and limits request bodies', async () => {
    running = await startRelayProcess(
      command(['--port', '0', '--demo-delay-ms', '0', '--token', TOKEN, '--max-frame-bytes', '2048']),
    );
    const sdk = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    expect((await sdk.models.list()).data.map((m) => m.id)).toEqual(['demo-fast', 'demo-thorough']);

    const stream = await sdk.chat.completions.create({
      model: 'demo-fast',
      stream: true,
      messages: [{ role: 'user', content: '/reasoning' }],
    });
    let content = '';
    let reasoning = 0;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      content += delta?.content ?? '';
      if (delta && 'reasoning_content' in delta) reasoning++;
    }
    expect(reasoning).toBeGreaterThan(0);
    expect(content).toContain('the second reading fits best');

    const once = await sdk.chat.completions.create({
      model: 'demo-thorough',
      messages: [{ role: 'user', content: 'three little words' }],
    });
    expect(once.choices[0]?.message.content).toContain('| words | 3 |');

    const big = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(3000) }] }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { message: 'The request body is larger than 2048 bytes.' } });
  });
});
