/** A relay on Node and a relay on Deno sharing chats through one real redis-server. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transcript } from '../helpers/transcript.ts';
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

describe('a relay that dies mid-reply', () => {
  it('has its reply ended with an error by another relay once its lock runs out', async () => {
    const args = ['--port', '0', '--demo-delay-ms', '1', '--redis-url', redis.url];
    const doomed = await startRelayProcess(nodeRelayCommand(args));
    const survivor = relays[0];
    if (!survivor) throw new Error('no relay');
    const sender = await TestClient.connect(doomed.wsBase);
    const watcher = await TestClient.connect(survivor.wsBase);
    for (const c of [sender, watcher]) {
      c.send({ type: 'subscribe', chat_id: 'orphan' });
      await c.waitType('subscribed');
    }
    // The relay that accepts a send runs its turn: this one runs on the doomed relay.
    sender.send({ type: 'send', chat_id: 'orphan', client_msg_id: 'o1', text: '/slow' });
    await watcher.waitType('delta');
    doomed.proc.kill('SIGKILL');
    // The dead relay's lock lasts 15 s; the survivor looks every 2 s.
    const end = await watcher.waitFor((fs) => fs.find((f) => f.type === 'turn_end'), 'turn_end', 30_000);
    expect(end).toMatchObject({ status: 'error', error: expect.stringContaining('stopped before it finished') });
    // A later resume replays the cut-off reply as one message, with what had streamed.
    const later = await TestClient.connect(survivor.wsBase);
    later.send({ type: 'subscribe', chat_id: 'orphan' });
    await later.waitFor((fs) => (fs.filter((f) => f.type === 'message').length === 2 ? true : undefined));
    const t = new Transcript();
    for (const e of later.events('orphan')) t.apply(e);
    expect(t.messages[1]).toMatchObject({ status: 'error' });
    expect(t.messages[1]?.text.length).toBeGreaterThan(0);
    // The chat takes new turns again.
    expect((await converse(watcher, 'orphan', 'still working?', 'o2')).status).toBe('done');
    for (const c of [watcher, later]) c.close();
  }, 60_000);
});
