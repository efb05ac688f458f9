/** The OpenAI-compatible facade driven by the official `openai` SDK and by raw HTTP, against a real relay. */

import { request } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent, TurnRequest } from '../../shared/index.ts';
import { TurnError, type Agent } from '../../relay/core/agent.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const TOKEN = 'client-token-0123456789abcdef';
const turns: TurnRequest[] = [];
let onAbort: (() => void) | undefined;

/** A library agent whose replies show what it was given, so each mapping can be checked. */
const agent: Agent = {
  info: () => ({ name: 'Echo', capabilities: ['markdown', 'reasoning'], models: ['echo-1', 'echo-2'], online: true }),
  async *run(turn, signal): AsyncGenerator<AgentEvent> {
    turns.push(turn);
    const text = turn.input.kind === 'message' ? turn.input.message.text : '';
    if (text === 'fail') throw new TurnError('The echo agent cannot do that.');
    if (text === 'crash') throw new Error('secret internal detail');
    if (text === 'hang') {
      yield { type: 'delta', text: 'waiting' };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      onAbort?.();
      return;
    }
    yield { type: 'reasoning_delta', text: 'Echo ' };
    yield { type: 'reasoning_delta', text: 'it.' };
    yield { type: 'tool_call', call_id: 'c1', name: 'ignored', arguments: '{}' };
    for (const word of `You said: ${text}`.split(/(?<= )/)) yield { type: 'delta', text: word };
  },
};

let relay: TestRelay;
let client: OpenAI;
beforeAll(async () => {
  relay = await startRelay({ token: TOKEN, maxFrameBytes: 4096 }, agent);
  client = new OpenAI({ baseURL: `${relay.httpBase}/v1`, apiKey: TOKEN, maxRetries: 0 });
});
afterAll(() => relay.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${relay.httpBase}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });

describe('the facade with the openai SDK', () => {
  it('lists the agent models', async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toEqual(['echo-1', 'echo-2']);
    expect((await client.models.retrieve('echo-2')).id).toBe('echo-2');
  });

  it('streams a completion: content and reasoning deltas, finish_reason stop', async () => {
    const stream = await client.chat.completions.create({
      model: 'echo-2',
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'earlier' },
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: [{ type: 'text', text: 'hello there' }] },
      ],
    });
    let content = '';
    let reasoning = '';
    const finish: (string | null)[] = [];
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const delta = choice?.delta;
      content += delta?.content ?? '';
      if (delta && 'reasoning_content' in delta && typeof delta.reasoning_content === 'string')
        reasoning += delta.reasoning_content;
      finish.push(choice?.finish_reason ?? null);
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'echo-2' });
    }
    expect(content).toBe('You said: hello there');
    expect(reasoning).toBe('Echo it.');
    expect(finish.at(-1)).toBe('stop');
    expect(turns.at(-1)).toMatchObject({
      model: 'echo-2',
      input: { kind: 'message', message: { role: 'user', text: 'hello there' } },
      context: [
        { role: 'system', text: 'Be brief.' },
        { role: 'user', text: 'earlier' },
        { role: 'assistant', text: 'an answer' },
      ],
    });
  });

  it('answers a non-streaming completion with the whole message', async () => {
    const done = await client.chat.completions.create({ model: 'echo-1', messages: [{ role: 'user', content: 'hi' }] });
    expect(done.object).toBe('chat.completion');
    expect(done.choices[0]).toMatchObject({
      index: 0,
      finish_reason: 'stop',
      message: { role: 'assistant', content: 'You said: hi', reasoning_content: 'Echo it.' },
    });
  });

  it('passes a user image on to the agent as an attachment', async () => {
    const png = 'iVBORw0KGgo=';
    await client.chat.completions.create({
      model: 'echo-1',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
    });
    const input = turns.at(-1)?.input;
    expect(input?.kind === 'message' && input.message.attachments).toEqual([
      { id: 'image-1', name: 'image-1.png', mime: 'image/png', size: 8, data: png },
    ]);
  });

  it('reports an agent failure as an API error, streamed or not, without internals', async () => {
    const messages = [{ role: 'user' as const, content: 'fail' }];
    const raw = await post(JSON.stringify({ messages }));
    expect(raw.headers.get('x-should-retry')).toBe('false');
    await expect(client.chat.completions.create({ model: 'echo-1', messages })).rejects.toMatchObject({
      status: 502,
      error: { message: 'The echo agent cannot do that.', type: 'server_error', code: 'agent_error' },
    });
    const stream = await client.chat.completions.create({ model: 'echo-1', messages, stream: true });
    await expect(async () => {
      for await (const _ of stream);
    }).rejects.toThrow('The echo agent cannot do that.');
    const crash = client.chat.completions.create({ model: 'echo-1', messages: [{ role: 'user', content: 'crash' }] });
    await expect(crash).rejects.toThrow('The agent failed unexpectedly');
    await expect(crash).rejects.not.toThrow('secret');
  });

  it('refuses an unknown model and a wrong key the way OpenAI does', async () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    await expect(client.chat.completions.create({ model: 'gpt-4', messages })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const wrong = new OpenAI({ baseURL: `${relay.httpBase}/v1`, apiKey: 'not-the-token', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe('the facade over raw HTTP', () => {
  const errorShape = (message: string) => ({
    error: { message: expect.stringContaining(message), type: expect.any(String), param: null, code: null },
  });

  it.each([
    ['{"model": "echo-1", "messages": [', 'not valid JSON'],
    ['[]', 'must be a JSON object'],
    ['{"model": "echo-1"}', 'body.messages is required'],
    ['{"messages": [{"role": "robot", "content": "x"}]}', 'body.messages[0].role must be one of'],
    ['{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}', 'must end with'],
    ['{"messages": [{"role": "user", "content": [{"type": "input_audio"}]}]}', 'part of type "input_audio"'],
    [
      '{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/a.png"}}]}]}',
      'not a base64 data: URL',
    ],
  ])('400 for %s', async (body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(errorShape(message));
  });

  it('413 for a body over the limit, 405 for a wrong method, 404 for an unknown path', async () => {
    const big = await post(JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(5000) }] }));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual(errorShape('larger than 4096 bytes'));
    // Without a Content-Length (chunked upload) the limit holds while reading.
    const text = JSON.stringify({ messages: [{ role: 'user', content: 'y'.repeat(5000) }] });
    const chunked = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${relay.httpBase}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => resolve(res.resume().statusCode)).on('error', reject);
      req.end(text);
    });
    expect(chunked).toBe(413);
    const get = await fetch(`${relay.httpBase}/v1/chat/completions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
    const unknown = await fetch(`${relay.httpBase}/v1/embeddings`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual(errorShape('Unknown endpoint'));
  });

  it('401 without a token, in the OpenAI error shape', async () => {
    const res = await fetch(`${relay.httpBase}/v1/models`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
  });

  it('stops the agent when the client goes away mid-stream', async () => {
    const aborted = new Promise<void>((resolve) => (onAbort = resolve));
    const res = await post(JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'hang' }] }));
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body?.getReader();
    let seen = '';
    while (!seen.includes('waiting')) seen += new TextDecoder().decode((await reader?.read())?.value);
    await reader?.cancel();
    // The agent's signal fires: its turn is stopped, not left running for nobody.
    await aborted;
  });
});

describe('the facade in front of a remote agent', () => {
  it('answers 503 agent_unavailable while no agent process is connected', async () => {
    const remote = await startRelay({ agent: 'remote', agentToken: 'agent-token-0123456789abcdef' });
    const res = await fetch(`${remote.httpBase}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: 'anyone?' }] }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'agent_unavailable', type: 'server_error' } });
    await remote.close();
  });
});

describe('the facade without a token', () => {
  it('is open on loopback like the WebSocket endpoint, but not to other sites', async () => {
    const open = await startRelay({}, agent);
    const base = `${open.httpBase}/v1`;
    const sdk = new OpenAI({ baseURL: base, apiKey: 'anything', maxRetries: 0 });
    const done = await sdk.chat.completions.create({ model: 'echo-1', messages: [{ role: 'user', content: 'yo' }] });
    expect(done.choices[0]?.message.content).toBe('You said: yo');
    const foreign = await fetch(`${base}/models`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const preflight = await fetch(`${base}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    await open.close();
  });
});
