/** Random and mutated frames thrown at a live relay: it answers each with a typed error, and valid traffic carries on. */

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, parseClientFrame } from '../../shared/index.ts';
import { Transcript } from '../helpers/transcript.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const FRAMES = Number(process.env['FUZZ_LIVE_FRAMES'] ?? 1500);

let relay: TestRelay;
beforeAll(async () => {
  relay = await startRelay({ rateLimit: 100_000, rateBurst: 100_000, credentialRateLimit: 100_000 });
});
afterAll(() => relay.close());

/** Frames a fuzzer would send: random JSON, garbage text, valid frames in the wrong state, hostile keys. */
const frameArb = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .record({
      type: fc.constantFrom('send', 'stop', 'action', 'history', 'subscribe', 'unsubscribe', 'ping', 'hello', 'delta'),
      chat_id: fc.oneof(fc.constantFrom('fz', 'fz-2', '../x', ''), fc.string({ maxLength: 70 })),
      client_msg_id: fc.string({ maxLength: 20 }),
      message_id: fc.string({ maxLength: 10 }),
      action_id: fc.string({ maxLength: 10 }),
      text: fc.oneof(fc.string({ maxLength: 50 }), fc.integer()),
      after_seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
      __proto__: fc.jsonValue(),
    })
    .map((r) => JSON.stringify(r)),
);

function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
  return process.memoryUsage().heapUsed;
}

describe('a live relay under fuzzing', () => {
  it('answers every invalid frame with a typed error and keeps a concurrent conversation exact', async () => {
    const reference = await TestClient.connect(relay.wsBase);
    reference.send({ type: 'subscribe', chat_id: 'fz-ref' });
    await reference.waitType('subscribed');
    await converse(reference, 'fz-ref', '/long 150', 'ref');
    const expected = new Transcript();
    for (const e of reference.events('fz-ref')) expected.apply(e);
    reference.close();

    const fuzzer = await TestClient.connect(relay.wsBase);
    const bystander = await TestClient.connect(relay.wsBase);
    bystander.send({ type: 'subscribe', chat_id: 'fz-bystander' });
    await bystander.waitType('subscribed');
    bystander.send({ type: 'send', chat_id: 'fz-bystander', client_msg_id: 'b', text: '/long 150' });

    const frames = fc.sample(frameArb, { numRuns: FRAMES, seed: 42 });
    let invalid = 0;
    for (const [i, raw] of frames.entries()) {
      if (!parseClientFrame(raw).ok) invalid++;
      fuzzer.raw(raw);
      if (i % 100 === 0) fuzzer.raw(Buffer.from([0, 1, 2, i % 256]));
    }
    const binary = Math.ceil(FRAMES / 100);
    fuzzer.send({ type: 'ping', nonce: 'done' });
    await fuzzer.waitType('pong', (p) => p.nonce === 'done', 0);
    const errors = fuzzer.frames.filter((f) => f.type === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(invalid + binary);
    expect(new Set(errors.map((e) => e.type === 'error' && e.code)).size).toBeGreaterThan(3);
    for (const e of errors) expect(ERROR_CODES).toContain(e.type === 'error' ? e.code : '');
    expect(fuzzer.invalid).toEqual([]);
    expect(fuzzer.closeCode).toBeUndefined();

    await bystander.waitType('turn_end');
    const got = new Transcript();
    for (const e of bystander.events('fz-bystander')) got.apply(e);
    expect(got.messages[1]?.text).toBe(expected.messages[1]?.text);
    const health = (await (await fetch(`${relay.httpBase}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    fuzzer.close();
    bystander.close();
  });

  it('does not grow its heap across rounds of fuzzing', async () => {
    const round = async (seed: number) => {
      const c = await TestClient.connect(relay.wsBase);
      for (const raw of fc.sample(frameArb, { numRuns: FRAMES, seed })) c.raw(raw);
      c.send({ type: 'ping', nonce: 'end' });
      await c.waitType('pong', (p) => p.nonce === 'end', 0);
      c.close();
      await c.waitClose();
    };
    await round(1);
    const before = heapAfterGc();
    for (const seed of [2, 3, 4]) await round(seed);
    const after = heapAfterGc();
    // Three more rounds must not retain their garbage (a leak of even 1 KB per frame would be 4.5 MB).
    expect(after - before).toBeLessThan(4 * 1024 * 1024);
  });
});
