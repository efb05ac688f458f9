/** Library mode: `createRelay({ agent })` with a plain async generator or an Agent object, and the runnable example. */

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentEvent } from '../../shared/index.ts';
import { Transcript } from '../helpers/transcript.ts';
import { createRelay, TurnError, type RunningServer } from '../../relay/index.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { ROOT, startRelayProcess, type RelayProcess } from '../helpers/spawn.ts';

let server: RunningServer | undefined;
let example: RelayProcess | undefined;
afterEach(async () => {
  await server?.close();
  await example?.stop();
  server = undefined;
  example = undefined;
});

let sent = 0;

async function talk(base: string, text: string) {
  const c = await TestClient.connect(base.replace(/^http/, 'ws'));
  c.send({ type: 'subscribe', chat_id: 'lib' });
  await c.waitType('subscribed');
  const end = await converse(c, 'lib', text, `lib-${++sent}`);
  const t = new Transcript();
  for (const e of c.events('lib')) t.apply(e);
  c.close();
  return { end, reply: t.messages.at(-1), ready: c.frames[0] };
}

describe('createRelay', () => {
  it('serves a plain async generator function as the agent, with its name and models', async () => {
    const signals: AbortSignal[] = [];
    const parley = createRelay({
      name: 'Loop',
      models: ['small', 'large'],
      config: { port: 0, logLevel: 'silent', dataDir: 'none' },
      async *agent(turn, { signal }): AsyncGenerator<AgentEvent> {
        signals.push(signal);
        const text = turn.input.kind === 'message' ? turn.input.message.text : '';
        if (text === 'fail') throw new TurnError('The loop gave up.');
        yield { type: 'reasoning_delta', text: `model ${turn.model ?? 'default'}` };
        yield { type: 'delta', text: text.toUpperCase() };
      },
    });
    server = await parley.listen();
    const { end, reply, ready } = await talk(server.url, 'shout this');
    expect(ready).toMatchObject({ type: 'ready', agent: { name: 'Loop', models: ['small', 'large'], online: true } });
    expect(end.status).toBe('done');
    expect(reply).toMatchObject({ text: 'SHOUT THIS', reasoning: 'model default' });
    expect((await talk(server.url, 'fail')).end).toMatchObject({ status: 'error', error: 'The loop gave up.' });
    expect(signals[0]).toBeInstanceOf(AbortSignal);

    // The same agent through the OpenAI-compatible facade, with no extra code.
    const sdk = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
    const done = await sdk.chat.completions.create({ model: 'large', messages: [{ role: 'user', content: 'hey' }] });
    expect(done.choices[0]?.message.content).toBe('HEY');
  });

  it('takes an Agent object as it is, and keeps its chats in config.dataDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-library-'));
    const parley = createRelay({
      config: { port: 0, logLevel: 'silent', dataDir: dir },
      agent: {
        info: () => ({ name: 'Object agent', capabilities: [], online: true }),
        async *run() {
          yield { type: 'delta', text: 'from an object' };
        },
      },
    });
    server = await parley.listen();
    expect((await talk(server.url, 'hi')).reply?.text).toBe('from an object');
    expect(readdirSync(join(dir, 'chats'))).toHaveLength(1);
    await server.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what the command line refuses, such as listening beyond loopback without a token', () => {
    expect(() => createRelay({ agent: async function* () {}, config: { host: '0.0.0.0' } })).toThrow(
      'refusing to listen on 0.0.0.0 without authentication',
    );
  });

  it('runs the README example (relay/sdk/examples/library-agent.ts) after npm run build', async () => {
    example = await startRelayProcess([process.execPath, [`${ROOT}build/relay/sdk/examples/library-agent.js`]], {
      PORT: '0',
    });
    const { end, reply, ready } = await talk(example.url, 'hello loop');
    expect(ready).toMatchObject({ agent: { name: 'My TypeScript agent' } });
    expect(end.status).toBe('done');
    expect(reply?.text).toBe('This is turn 1. You asked: "hello loop". Reversed: "pool olleh".');
  });
});
