/** The openai agent when the upstream fails or the user stops: a turn that ends the way a user understands. */

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transcript } from '../helpers/transcript.ts';
import { chunk, errorBody, FakeOpenAI, textStream, type Reply } from './fake-openai.ts';
import { API_KEY, ask, startRig, type OpenAIRig } from './openai-helpers.ts';

let rig: OpenAIRig;
beforeAll(async () => {
  rig = await startRig({ model: 'gpt-4o-mini' });
});
afterAll(() => rig.close());

const http = (status: number, body: string, headers?: Record<string, string>): Reply => ({
  kind: 'http',
  status,
  body,
  ...(headers ? { headers } : {}),
});

describe('the openai agent ends the turn with a clear error', () => {
  it.each<[string, Reply, string]>([
    [
      '401 bad key',
      http(401, errorBody('Incorrect API key provided: sk-proj-****XYZ.', 'invalid_request_error', 'invalid_api_key')),
      'refused the API key (HTTP 401: Incorrect API key provided',
    ],
    [
      '404 unknown model',
      http(
        404,
        errorBody(
          'The model `gpt-4o-mini` does not exist or you do not have access to it.',
          'invalid_request_error',
          'model_not_found',
        ),
      ),
      'has no model "gpt-4o-mini"',
    ],
    [
      '404 wrong path',
      http(404, '404 page not found', { 'content-type': 'text/plain' }),
      'Check --base-url; it usually ends in /v1',
    ],
    [
      '429 rate limit',
      http(
        429,
        errorBody(
          'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.',
          'requests',
          'rate_limit_exceeded',
        ),
        { 'retry-after': '20' },
      ),
      'rate-limiting requests or out of quota (HTTP 429: Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.). Try again in 20 s.',
    ],
    [
      '500',
      http(
        500,
        errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null),
      ),
      'failed (HTTP 500: The server had an error while processing your request. Sorry about that!)',
    ],
    [
      '503 from vLLM',
      http(
        503,
        JSON.stringify({ object: 'error', message: 'Engine is overloaded', type: 'ServiceUnavailable', code: 503 }),
      ),
      'failed (HTTP 503: Engine is overloaded). Try again in a moment.',
    ],
    [
      'malformed JSON in the stream',
      { kind: 'stream', events: [chunk({ role: 'assistant', content: 'ok' }), '{"id":"chatcmpl-1","choices":[{'] },
      'sent a stream Parley cannot read (a chunk is not valid JSON)',
    ],
    [
      'an error object inside the stream',
      {
        kind: 'stream',
        events: [
          chunk({ content: 'par' }),
          JSON.stringify({ error: { message: 'Model crashed', type: 'server_error' } }),
        ],
      },
      'reported an error in the middle of the reply: Model crashed',
    ],
    [
      'a 200 that is not a stream',
      http(200, JSON.stringify({ object: 'chat.completion', choices: [] })),
      'answered with application/json; charset=utf-8 instead of an event stream',
    ],
    [
      'a stream cut mid-way (connection dropped)',
      { kind: 'stream', events: textStream(['Once upon']).slice(0, 2), tail: 'data: {"id":"chatcmpl-B9', cut: true },
      'closed before the reply was complete',
    ],
    [
      'a stream that ends cleanly without finishing',
      { kind: 'stream', events: textStream(['Once upon']).slice(0, 2), done: false },
      'closed before the reply was complete',
    ],
    [
      'a reply cut at the length limit',
      { kind: 'stream', events: [chunk({ content: 'a very long' }), chunk({}, 'length')] },
      'reached the maximum length',
    ],
  ])('%s', async (name, reply, message) => {
    rig.fake.replies.push(reply);
    const { end, reply: message_ } = await ask(rig.client, `oa-err-${rig.fake.completions().length}`, { text: name });
    expect(end.status).toBe('error');
    expect(end.error).toContain(message);
    expect(end.error).not.toContain(API_KEY);
    // What streamed before the failure stays in the reply.
    if (reply.kind === 'stream' && reply.events.length > 1) expect(message_?.text).not.toBe('');
  });

  it('says so when the server is not running (connection refused)', async () => {
    const port = await closedPort();
    const down = await startRig({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'llama3.2' });
    const { end } = await ask(down.client, 'oa-down', { text: 'anyone?' });
    expect(end).toMatchObject({ status: 'error' });
    expect(end.error).toBe(
      `Cannot reach the model server at http://127.0.0.1:${port}/v1: the connection was refused. Is the server running?`,
    );
    await down.close();
    expect(down.logs.join('\n')).toContain('openai models unavailable');
  });

  it('without --model, says the server is unreachable, or that it lists no models', async () => {
    const port = await closedPort();
    const down = await startRig({ baseUrl: `http://127.0.0.1:${port}/v1`, model: undefined });
    expect((await ask(down.client, 'oa-nomodel-down', { text: 'hi' })).end.error).toContain('Cannot reach');
    await down.close();
    const listsNothing = await FakeOpenAI.start();
    listsNothing.models = [];
    const empty = await startRig({ model: undefined }, listsNothing);
    const { end } = await ask(empty.client, 'oa-nomodel', { text: 'hi' });
    expect(end.error).toBe('No model is chosen: start the relay with --model, or check that the server lists models.');
    await empty.close();
  });

  it('asks for a key when the server wants one and none is set', async () => {
    const keyless = await startRig({ apiKey: undefined, model: 'gpt-4o' });
    keyless.fake.replies.push(http(401, errorBody("You didn't provide an API key.", 'invalid_request_error', null)));
    const { end } = await ask(keyless.client, 'oa-nokey', { text: 'hi' });
    expect(end.error).toContain('needs an API key');
    expect(keyless.fake.completions()[0]?.authorization).toBeUndefined();
    await keyless.close();
  });
});

describe('stop', () => {
  it('aborts the upstream request and ends the turn as stopped, keeping what streamed', async () => {
    rig.fake.replies.push({ kind: 'hold', events: [chunk({ role: 'assistant', content: 'Thinking about' })] });
    const c = rig.client;
    c.send({ type: 'subscribe', chat_id: 'oa-stop' });
    await c.waitType('subscribed', (s) => s.chat_id === 'oa-stop');
    const from = c.frames.length;
    c.send({ type: 'send', chat_id: 'oa-stop', client_msg_id: 'stop-1', text: 'Write a novel' });
    await c.waitType('delta', (d) => d.chat_id === 'oa-stop', from);
    const upstream = rig.fake.completions().at(-1);
    c.send({ type: 'stop', chat_id: 'oa-stop' });
    const end = await c.waitType('turn_end', (t) => t.chat_id === 'oa-stop', from);
    expect(end.status).toBe('stopped');
    // The server sees its client go away: the fetch was aborted, not left streaming into the void.
    await upstream?.aborted;
    const transcript = new Transcript();
    for (const e of c.events('oa-stop')) transcript.apply(e);
    expect(transcript.get(end.message_id)).toMatchObject({ text: 'Thinking about', status: 'stopped' });
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
