/** The Redis half of workspace compaction, on a real redis-server: what the swap script keeps, and when it changes nothing. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_CHAT_ID, type WorkspaceChange } from '../../shared/index.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { KEEP_ALL } from '../../relay/core/replay-window.ts';
import type { RedisConnection } from '../../relay/redis/connection.ts';
import { chatKeys } from '../../relay/redis/keys.ts';
import { connectRedis } from '../../relay/redis/node-redis.ts';
import { ScriptRunner } from '../../relay/redis/script-runner.ts';
import { logParams, REWRITE_LOG, type LogLimits } from '../../relay/redis/scripts.ts';
import { compactSharedWorkspace } from '../../relay/redis/workspace-log.ts';
import { follower, request } from '../backends/backends.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

let redis: TestRedis;
let relay: TestRelay;
let conn: RedisConnection;
beforeAll(async () => {
  redis = await startRedis();
  relay = await startRelay({ redisUrl: redis.url });
  conn = await connectRedis(redis.url, createLogger('warn'));
});
afterAll(async () => {
  await conn?.close();
  await relay?.close();
  await redis?.stop();
});

const keys = chatKeys(WORKSPACE_CHAT_ID);
const limits: LogLimits = { ttlMs: 3600_000, retention: KEEP_ALL, now: Date.now };
const stamp = (n: number) => `${String(1_700_000_000_000 + n).padStart(15, '0')}.000000.dev`;

/** The log's entries as seq → their fields, and what meta counts of them. */
async function logged() {
  const raw = await conn.command(['XRANGE', keys.log, '-', '+']);
  const entries = (Array.isArray(raw) ? raw : []).map((item: unknown) => {
    const [id, fields] = Array.isArray(item) ? item : [];
    return { seq: Number(String(id).split('-')[1]), fields: Array.isArray(fields) ? fields.map(String) : [] };
  });
  const counted = Number(await conn.command(['HGET', keys.meta, 'bytes']));
  const actual = entries.reduce((n, e) => n + e.fields.filter((_, i) => i % 2 === 1).join('').length, 0);
  return { seqs: entries.map((e) => e.seq), entries, counted, actual };
}

describe('compacting the shared workspace', () => {
  it('keeps the winners at their seq, keeps what came after the read, and refuses a log changed since', async () => {
    const { client } = await follower(relay, WORKSPACE_CHAT_ID);
    const write = async (id: string, changes: WorkspaceChange[]) => {
      const ack = await request(
        client,
        { type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: id, changes },
        id,
      );
      if (ack.type !== 'ack') throw new Error(ack.message);
      return ack.seq;
    };
    const s1 = await write('w1', [{ chat: 'c-1', field: 'title', value: 'old', at: stamp(1) }]);
    const s2 = await write('w2', [
      { chat: 'c-1', field: 'title', value: 'new', at: stamp(2) },
      { chat: 'c-1', field: 'deleted', value: true, at: stamp(2) },
    ]);
    const s3 = await write('w3', [{ chat: 'c-1', field: 'deleted', value: false, at: stamp(0) }]);
    const scripts = new ScriptRunner(conn);
    const epoch = relay.relay.epoch;

    // A kept entry that is no longer there (retention took it, or another relay compacted): nothing changes.
    const before = await logged();
    const frame = before.entries[0]?.fields[1] ?? '';
    const stale = [String(s3), String(s1 + 1000), String(Date.now()), frame];
    expect(await scripts.run(REWRITE_LOG, ...logParams(WORKSPACE_CHAT_ID, epoch, limits, [keys.rewrite], stale))).toBe(
      0,
    );
    expect((await logged()).seqs).toEqual([s1, s2, s3]);

    // The real thing: the rename at s1 and the restore at s3 lost; the entry of s2 stays whole, at its seq.
    expect(await compactSharedWorkspace(conn, scripts, WORKSPACE_CHAT_ID, epoch, limits)).toEqual({
      live: 2,
      dropped: 2,
    });
    const after = await logged();
    expect(after.seqs).toEqual([s2]);
    expect(after.entries[0]?.fields).toEqual(before.entries[1]?.fields);
    expect(after.counted).toBe(after.actual);
    expect(await conn.command(['PTTL', keys.log])).toBe(-1);
    expect(await conn.command(['EXISTS', keys.rewrite])).toBe(0);

    // Written after a read: a swap that read only up to s2 keeps s4 as it is.
    const s4 = await write('w4', [{ chat: 'c-2', field: 'title', value: 'later', at: stamp(4) }]);
    const kept = after.entries[0]?.fields ?? [];
    const upToS2 = [String(s2), String(s2), kept[3] ?? '', kept[1] ?? ''];
    expect(await scripts.run(REWRITE_LOG, ...logParams(WORKSPACE_CHAT_ID, epoch, limits, [keys.rewrite], upToS2))).toBe(
      1,
    );
    expect((await logged()).seqs).toEqual([s2, s4]);

    // The relay goes on from there: the next write gets the next seq, and a new device replays what is kept.
    const s5 = await write('w5', [{ chat: 'c-2', field: 'pinned', value: true, at: stamp(5) }]);
    expect(s5).toBe(s4 + 1);
    const late = await follower(relay, WORKSPACE_CHAT_ID);
    expect(late.subscribed.recovered).toBe(true);
    expect(late.replay.map((e) => e.seq)).toEqual([s2, s4, s5]);
    late.client.close();
    client.close();
  });
});
