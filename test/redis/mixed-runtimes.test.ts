/** A relay on Node and a relay on Deno sharing chats through one real redis-server. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transcript } from '../../shared/index.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { denoRelayCommand, nodeRelayCommand, startRelayProcess, type RelayProcess } from '../helpers/spawn.ts';

let redis: TestRedis;
const relays: RelayProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
  const args = ['--port', '0', '--demo-delay-ms', '1', '--redis-url', redis.url];
  relays.push(await startRelayProcess(nodeRelayCommand(args)), await startRelayProcess(denoRelayCommand(args)));
});
afterAll(async () => {
  for (const r of relays) await r.stop();
  await redis?.stop();
});

describe('Node and Deno relays on one Redis', () => {
  it('share a conversation: same events in the same order on both', async () => {
    const [onNode, onDeno] = await Promise.all(relays.map((r) => TestClient.connect(r.wsBase)));
    if (!onNode || !onDeno) throw new Error('relays did not start');
    for (const c of [onNode, onDeno]) {
      c.send({ type: 'subscribe', chat_id: 'mixed' });
      await c.waitType('subscribed');
    }
    expect((await converse(onDeno, 'mixed', '/tool', 'd1')).status).toBe('done');
    expect((await converse(onNode, 'mixed', 'from node', 'n1')).status).toBe('done');
    const last = onNode.events('mixed').at(-1)?.seq;
    await onDeno.waitFor((fs) => (fs.some((f) => 'seq' in f && f.seq === last) ? true : undefined));
    expect(onDeno.events('mixed')).toEqual(onNode.events('mixed'));
    const t = new Transcript();
    for (const e of onNode.events('mixed')) t.apply(e);
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    onNode.close();
    onDeno.close();
  });
});
