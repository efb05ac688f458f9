/** The Redis backend calls its Lua scripts by SHA: a streamed token costs Redis its data, not the script's source. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, follow } from '../helpers/client.ts';
import { inspectRedis, startRedis, type TestRedis } from '../helpers/redis.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { ScriptedAgent } from '../helpers/scripted-agent.ts';

const TOKENS = 200;
let redis: TestRedis;
let relay: TestRelay;
beforeAll(async () => {
  redis = await startRedis();
  const agent = new ScriptedAgent(async function* () {
    for (let i = 0; i < TOKENS; i++) yield { type: 'delta', text: 'tok ' };
  });
  relay = await startRelay({ redisUrl: redis.url }, agent);
});
afterAll(async () => {
  await relay?.close();
  await redis?.stop();
});

/** What Redis has read from all its clients so far. */
async function bytesIn(): Promise<number> {
  const inspector = await inspectRedis(redis.url);
  const stats = await inspector.info('stats');
  await inspector.close();
  return Number(/total_net_input_bytes:(\d+)/.exec(stats)?.[1]);
}

describe('Redis scripts by SHA', () => {
  it('sends Redis a few hundred bytes per streamed token (the script source was 3.6 kB of it)', async () => {
    const { client } = await follow(relay.wsBase, 'sha-bytes');
    await converse(client, 'sha-bytes', 'warm up', 'm-0');
    const before = await bytesIn();
    await converse(client, 'sha-bytes', 'stream', 'm-1');
    const perToken = ((await bytesIn()) - before) / TOKENS;
    // About 420 bytes here: keys, limits and the delta's JSON. EVAL with the source every time was about 3,630.
    expect(perToken).toBeLessThan(1000);
    client.close();
  });

  it('loads a script again when Redis has forgotten it (SCRIPT FLUSH, a restart, a failover)', async () => {
    const { client } = await follow(relay.wsBase, 'sha-flush');
    await converse(client, 'sha-flush', 'first', 'm-1');
    const inspector = await inspectRedis(redis.url);
    await inspector.scriptFlush();
    await inspector.close();
    const end = await converse(client, 'sha-flush', 'second', 'm-2');
    expect(end.status).toBe('done');
    const late = await follow(relay.wsBase, 'sha-flush');
    await late.client.waitType('message', (m) => m.message.id === end.message_id);
    expect(late.sub.recovered).toBe(true);
    client.close();
    late.client.close();
  });
});
