/** A Redis chat is its history, as a data directory is for one relay: it outlives the replay age, and /healthz says how Redis holds it. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_CHAT_ID } from '../../shared/index.ts';
import { converse, follow } from '../helpers/client.ts';
import { inspectRedis, startRedis, until, type TestRedis } from '../helpers/redis.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { inputText, ScriptedAgent } from '../helpers/scripted-agent.ts';

const echo = () =>
  new ScriptedAgent(async function* (turn) {
    yield { type: 'delta', text: `re: ${inputText(turn)}` };
  });

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

async function health(relay: TestRelay): Promise<{ status: string; history: Record<string, unknown> }> {
  const body: unknown = await (await fetch(`${relay.httpBase}/healthz`)).json();
  if (typeof body !== 'object' || body === null || !('history' in body) || !('status' in body))
    throw new Error(`unexpected /healthz: ${JSON.stringify(body)}`);
  return body as { status: string; history: Record<string, unknown> };
}

describe('a Redis chat keeps its history by default', () => {
  it('does not expire a chat or the workspace after --replay-max-age: a new device gets all of it', async () => {
    const relay = await startRelay({ redisUrl: redis.url, replayMaxAgeSec: 1 }, echo());
    const { client } = await follow(relay.wsBase, 'keep-1');
    await converse(client, 'keep-1', 'written before the replay age passed', 'c1');
    const { client: desk } = await follow(relay.wsBase, WORKSPACE_CHAT_ID);
    const change = { chat: 'keep-1', field: 'title', value: 'Kept', at: '000000000000001.000000.desk' };
    desk.send({ type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: 'w1', changes: [change] });
    await desk.waitType('ack', (a) => a.client_msg_id === 'w1');
    const look = await inspectRedis(redis.url);
    for (const key of ['parley:c:{keep-1}:log', 'parley:c:{keep-1}:meta', `parley:c:{${WORKSPACE_CHAT_ID}}:log`])
      expect(await look.pTTL(key), `${key} has no TTL`).toBe(-1);
    // Past the replay age (1 s) by the wall clock Redis expires keys by.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await look.exists('parley:c:{keep-1}:log')).toBe(1);
    await look.close();
    const { client: fresh, sub } = await follow(relay.wsBase, 'keep-1', { epoch: relay.relay.epoch, after_seq: 0 });
    expect(sub.recovered).toBe(true);
    const texts = await fresh.waitFor(() => {
      const got = fresh.events('keep-1');
      return got.at(-1)?.seq === sub.head_seq
        ? got.flatMap((e) => (e.type === 'message' ? [e.message.text] : []))
        : undefined;
    }, 'the replay');
    expect(texts).toEqual(['written before the replay age passed', 're: written before the replay age passed']);
    const { client: phone, sub: ws } = await follow(relay.wsBase, WORKSPACE_CHAT_ID, { after_seq: 0 });
    expect(ws.recovered).toBe(true);
    const written = await phone.waitFor(
      () => phone.events(WORKSPACE_CHAT_ID).find((e) => e.type === 'workspace' && e.changes[0]?.at === change.at),
      'the workspace write',
    );
    expect(written).toBeDefined();
    for (const c of [client, desk, fresh, phone]) c.close();
    await relay.close();
  });

  it('lets a chat expire only with --history-max-age, that long after its last write', async () => {
    const relay = await startRelay({ redisUrl: redis.url, historyMaxAgeSec: 7200 }, echo());
    const { client } = await follow(relay.wsBase, 'keep-2');
    await converse(client, 'keep-2', 'hello', 'c1');
    const look = await inspectRedis(redis.url);
    const ttl = await look.pTTL('parley:c:{keep-2}:log');
    expect(ttl).toBeGreaterThan(7190_000);
    expect(ttl).toBeLessThanOrEqual(7200_000);
    await look.close();
    client.close();
    await relay.close();
  });
});

describe('/healthz on a Redis relay', () => {
  it('reports the retention, the memory Redis uses, a policy that would evict history, and an outage', async () => {
    const relay = await startRelay({ redisUrl: redis.url, historyMaxBytes: 1_000_000 }, echo());
    const ok = await health(relay);
    expect(ok.status).toBe('ok');
    expect(ok.history).toMatchObject({ kind: 'redis', ok: true, retention: { maxAgeMs: 0, maxBytes: 1_000_000 } });
    expect(ok.history.bytes).toBeGreaterThan(0);
    expect(ok.history.warning).toBeUndefined();
    const look = await inspectRedis(redis.url);
    await look.configSet('maxmemory-policy', 'allkeys-lru');
    try {
      await until(async () => (await health(relay)).history.warning !== undefined, 'the eviction policy is reported');
      expect((await health(relay)).history.warning).toBe(
        'redis maxmemory-policy allkeys-lru may evict chat history when memory runs short',
      );
    } finally {
      await look.configSet('maxmemory-policy', 'noeviction');
      await look.close();
    }
    await redis.stop();
    try {
      await until(async () => (await health(relay)).status === 'degraded', 'the outage is reported');
      expect((await health(relay)).history).toMatchObject({ kind: 'redis', ok: false, error: 'redis unreachable' });
    } finally {
      await redis.start();
    }
    await relay.close();
  });
});
