/** Bad input on a live relay: every error code as a typed frame, the connection left usable; size, rate and speed limits. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent, ClientFrame, ErrorCode } from '../../shared/index.ts';
import type { Agent } from '../../relay/core/agent.ts';
import { TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

let relay: TestRelay;
beforeAll(async () => {
  relay = await startRelay({ maxTextChars: 1000, maxFrameBytes: 64 * 1024, rateLimit: 1000, rateBurst: 1000 });
});
afterAll(() => relay.close());

const png = (size: number) => ({
  id: 'a1',
  name: 'x.png',
  mime: 'image/png',
  size,
  data: Buffer.alloc(size).toString('base64'),
});

/** Each case: what is sent, and the code the relay must answer with. */
const cases: [string, string | Buffer, ErrorCode][] = [
  ['not JSON', 'hello?', 'bad_json'],
  ['a JSON array', '[1,2,3]', 'bad_frame'],
  ['an object without type', '{"chat_id":"x"}', 'bad_frame'],
  ['a binary frame', Buffer.from([1, 2, 3]), 'bad_frame'],
  ['an unknown type', '{"type":"teleport"}', 'unknown_type'],
  ['a send without client_msg_id', '{"type":"send","chat_id":"lim","text":"hi"}', 'invalid_field'],
  ['a wrongly typed field', '{"type":"subscribe","chat_id":"lim","after_seq":"7"}', 'invalid_field'],
  ['a negative seq', '{"type":"subscribe","chat_id":"lim","after_seq":-1}', 'invalid_field'],
  ['a delete without message_id', '{"type":"delete","chat_id":"lim","client_msg_id":"d-1"}', 'invalid_field'],
  [
    'a delete naming a 200-character message id',
    JSON.stringify({ type: 'delete', chat_id: 'lim', client_msg_id: 'd-2', message_id: 'm'.repeat(200) }),
    'invalid_field',
  ],
  [
    'a send with a reply_to that is not an id',
    JSON.stringify({ type: 'send', chat_id: 'lim', client_msg_id: 'r-1', text: 'hi', reply_to: 7 }),
    'invalid_field',
  ],
  ['a path-like chat_id', '{"type":"subscribe","chat_id":"../../etc/passwd"}', 'invalid_chat_id'],
  ['a 65-character chat_id', JSON.stringify({ type: 'subscribe', chat_id: 'x'.repeat(65) }), 'invalid_chat_id'],
  [
    'text over the limit',
    JSON.stringify({ type: 'send', chat_id: 'lim', client_msg_id: 'big', text: 'x'.repeat(1001) }),
    'text_too_large',
  ],
  [
    'an empty message',
    JSON.stringify({ type: 'send', chat_id: 'lim', client_msg_id: 'empty', text: '  ' }),
    'invalid_field',
  ],
  [
    'nine attachments',
    JSON.stringify({
      type: 'send',
      chat_id: 'lim',
      client_msg_id: 'many',
      text: 'x',
      attachments: Array.from({ length: 9 }, () => png(3)),
    }),
    'attachments_too_large',
  ],
  [
    'an SVG attachment',
    JSON.stringify({
      type: 'send',
      chat_id: 'lim',
      client_msg_id: 'svg',
      text: 'x',
      attachments: [{ ...png(3), mime: 'image/svg+xml' }],
    }),
    'attachment_type',
  ],
  [
    'an attachment whose size lies',
    JSON.stringify({
      type: 'send',
      chat_id: 'lim',
      client_msg_id: 'lie',
      text: 'x',
      attachments: [{ ...png(3), size: 4 }],
    }),
    'invalid_field',
  ],
  [
    'too much context',
    JSON.stringify({
      type: 'send',
      chat_id: 'lim',
      client_msg_id: 'ctx',
      text: 'x',
      context: Array.from({ length: 201 }, () => ({ role: 'user', text: 'a' })),
    }),
    'context_too_large',
  ],
  [
    'a send to a chat not subscribed',
    JSON.stringify({ type: 'send', chat_id: 'elsewhere', client_msg_id: 'ns', text: 'x' }),
    'not_subscribed',
  ],
  ['a stop with nothing running', JSON.stringify({ type: 'stop', chat_id: 'lim' }), 'no_active_turn'],
  [
    'a press of an unknown button',
    JSON.stringify({ type: 'action', chat_id: 'lim', client_msg_id: 'ua', message_id: 'm_x', action_id: 'y' }),
    'unknown_action',
  ],
  [
    'a __proto__ key',
    '{"type":"subscribe","chat_id":"lim","__proto__":{"after_seq":5},"constructor":1}',
    'subscribed' as ErrorCode,
  ],
];

describe('bad frames from a client', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.connect(relay.wsBase);
    client.send({ type: 'subscribe', chat_id: 'lim' });
    await client.waitType('subscribed');
  });
  afterAll(() => client.close());

  it.each(cases)('answers %s with a typed error and stays usable', async (_name, data, code) => {
    const from = client.frames.length;
    client.raw(data);
    if (code === ('subscribed' as ErrorCode)) {
      // Prototype keys are plain data: the frame is a valid subscribe and nothing is polluted.
      expect((await client.waitType('subscribed', () => true, from)).chat_id).toBe('lim');
      expect(({} as Record<string, unknown>)['after_seq']).toBeUndefined();
    } else {
      const err = await client.waitType('error', () => true, from);
      expect(err.code).toBe(code);
      expect(err.message.length).toBeGreaterThan(5);
    }
    const nonce = `n${from}`;
    client.send({ type: 'ping', nonce });
    expect((await client.waitType('pong', (p) => p.nonce === nonce, from)).nonce).toBe(nonce);
    expect(client.closeCode).toBeUndefined();
  });

  it('names the chat and the request in errors where the frame had them', async () => {
    const from = client.frames.length;
    client.raw(JSON.stringify({ type: 'send', chat_id: 'lim', client_msg_id: 'ref-1', text: 'x'.repeat(2000) }));
    const err = await client.waitType('error', () => true, from);
    expect(err).toMatchObject({ code: 'text_too_large', chat_id: 'lim', ref: 'ref-1' });
  });
});

describe('size, rate and speed limits', () => {
  it('closes the socket with 1009 on a frame over the size limit, and other clients carry on', async () => {
    const big = await TestClient.connect(relay.wsBase);
    const bystander = await TestClient.connect(relay.wsBase);
    big.raw(JSON.stringify({ type: 'ping', nonce: 'x'.repeat(70 * 1024) }));
    expect(await big.waitClose()).toBe(1009);
    bystander.send({ type: 'ping', nonce: 'ok' });
    expect((await bystander.waitType('pong')).nonce).toBe('ok');
    bystander.close();
  });

  it('answers frames over the rate limit with rate_limited and serves the connection again after a pause', async () => {
    const limited = await startRelay({ rateLimit: 5, rateBurst: 5 });
    const client = await TestClient.connect(limited.wsBase);
    for (let i = 0; i < 12; i++) client.send({ type: 'ping', nonce: `p${i}` });
    await client.waitFor((fs) =>
      fs.filter((f) => f.type === 'pong' || f.type === 'error').length === 12 ? true : undefined,
    );
    const pongs = client.frames.filter((f) => f.type === 'pong').length;
    const limitedCount = client.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').length;
    expect(pongs).toBeGreaterThanOrEqual(5);
    expect(pongs).toBeLessThan(12);
    expect(pongs + limitedCount).toBe(12);
    await new Promise((r) => setTimeout(r, 1100));
    client.send({ type: 'ping', nonce: 'after' });
    expect((await client.waitType('pong', (p) => p.nonce === 'after')).nonce).toBe('after');
    client.close();
    await limited.close();
  });

  it('drops a client that stops answering pings', async () => {
    const pinging = await startRelay({ pingIntervalSec: 1 });
    const silent = await TestClient.connect(pinging.wsBase);
    const alive = await TestClient.connect(pinging.wsBase);
    expect(pinging.relay.health().clients).toBe(2);
    // A paused socket reads nothing, so it never sees the pings and never answers them.
    (silent.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 60 && pinging.relay.health().clients > 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(pinging.relay.health().clients).toBe(1);
    alive.send({ type: 'ping', nonce: 'still' });
    expect((await alive.waitType('pong')).nonce).toBe('still');
    alive.close();
    silent.ws.terminate();
    await pinging.close();
  });

  it('drops a client that stops reading, without slowing the others', async () => {
    const chunk = 'y'.repeat(1024);
    const count = 4000;
    const flood: Agent = {
      info: () => ({ name: 'flood', capabilities: [], online: true }),
      async *run(): AsyncGenerator<AgentEvent> {
        for (let i = 0; i < count; i++) {
          yield { type: 'delta', text: chunk };
          if (i % 50 === 0) await new Promise((r) => setImmediate(r));
        }
      },
    };
    const slowRelay = await startRelay({ maxBufferedBytes: 65_536 }, flood);
    const stalled = await TestClient.connect(slowRelay.wsBase);
    const reader = await TestClient.connect(slowRelay.wsBase);
    for (const c of [stalled, reader]) {
      c.send({ type: 'subscribe', chat_id: 'flood' });
      await c.waitType('subscribed');
    }
    // Stop reading from the network: the relay's send buffer for this socket grows.
    const tcp = (stalled.ws as unknown as { _socket: { pause(): void } })._socket;
    tcp.pause();
    const send: ClientFrame = { type: 'send', chat_id: 'flood', client_msg_id: 'f1', text: 'go' };
    reader.send(send);
    await reader.waitType('turn_end', () => true, 0);
    expect(reader.events('flood').filter((e) => e.type === 'delta')).toHaveLength(count);
    expect(slowRelay.logs.some((l) => l.includes('client too slow'))).toBe(true);
    expect(slowRelay.relay.health().clients).toBe(1);
    reader.close();
    stalled.ws.terminate();
    await slowRelay.close();
  });
});

describe('limits shared across connections', () => {
  it('refuses more subscriptions than --max-subscriptions with a typed error, and the socket stays usable', async () => {
    const small = await startRelay({ maxSubscriptions: 3 });
    const client = await TestClient.connect(small.wsBase);
    for (const id of ['s1', 's2', 's3']) client.send({ type: 'subscribe', chat_id: id });
    await client.waitFor((fs) => (fs.filter((f) => f.type === 'subscribed').length === 3 ? true : undefined));
    client.send({ type: 'subscribe', chat_id: 's4' });
    expect(await client.waitType('error')).toMatchObject({ code: 'too_many_subscriptions', chat_id: 's4' });
    // Re-subscribing to a followed chat (a resume) is not a new subscription.
    client.send({ type: 'subscribe', chat_id: 's1' });
    await client.waitFor((fs) => (fs.filter((f) => f.type === 'subscribed').length === 4 ? true : undefined));
    client.send({ type: 'unsubscribe', chat_id: 's2' });
    client.send({ type: 'subscribe', chat_id: 's4' });
    expect((await client.waitType('subscribed', (s) => s.chat_id === 's4')).chat_id).toBe('s4');
    client.close();
    await small.close();
  });

  it('refuses connections over --max-connections-per-ip with 429 and admits again after one closes', async () => {
    const small = await startRelay({ maxConnectionsPerIp: 2 });
    const one = await TestClient.connect(small.wsBase);
    const two = await TestClient.connect(small.wsBase);
    await expect(TestClient.connect(small.wsBase)).rejects.toMatchObject({ status: 429 });
    one.close();
    await one.waitClose();
    for (let i = 0; i < 40 && small.relay.health().clients > 1; i++) await new Promise((r) => setTimeout(r, 25));
    const three = await TestClient.connect(small.wsBase);
    two.close();
    three.close();
    await small.close();
  });

  it('limits the frames all connections of one credential send together', async () => {
    const token = 'shared-token-0123456789abcdef';
    const small = await startRelay({ token, rateLimit: 100, rateBurst: 100, credentialRateLimit: 5 });
    const a = await TestClient.connect(small.wsBase, { token });
    const b = await TestClient.connect(small.wsBase, { token });
    // The shared bucket holds 3 × 5 = 15 frames; 20 frames across two sockets overrun it.
    for (let i = 0; i < 10; i++) {
      a.send({ type: 'ping', nonce: `a${i}` });
      b.send({ type: 'ping', nonce: `b${i}` });
    }
    const answered = (c: TestClient) => c.frames.filter((f) => f.type === 'pong' || f.type === 'error').length;
    await a.waitFor(() => (answered(a) === 10 && answered(b) === 10 ? true : undefined));
    const limited = [...a.frames, ...b.frames].filter((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(limited[0]).toMatchObject({ message: expect.stringContaining('your connections together') });
    a.close();
    b.close();
    await small.close();
  });
});
