/** The workspace channel on both backends: a write is logged once, fanned out to every follower, replayed, and runs no turn. */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isDeleted, WORKSPACE_CHAT_ID, type WorkspaceChange, type WorkspaceEvent } from '../../shared/index.ts';
import type { TestClient } from '../helpers/client.ts';
import { changesOf, workspaceState } from '../helpers/workspace-state.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { BACKENDS, contractAgent, follower, request, stopBackends } from './backends.ts';

const open: { relays: TestRelay[]; clients: TestClient[] } = { relays: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const r of open.relays.splice(0)) await r.close();
});
afterAll(stopBackends);

let writes = 0;
/** A change nobody else wrote (the Redis backend's workspace outlives one test). */
function change(field: string, value: WorkspaceChange['value']): WorkspaceChange {
  const wall = String(Date.now()).padStart(15, '0');
  return { chat: `c-${++writes}`, field, value, at: `${wall}.${String(writes).padStart(6, '0')}.test` };
}

const workspaceEvents = (c: TestClient) =>
  c.events(WORKSPACE_CHAT_ID).filter((e): e is WorkspaceEvent => e.type === 'workspace');

describe.each(Object.entries(BACKENDS))('workspace channel (%s)', (_name, startBackend) => {
  async function setUp() {
    const agent = contractAgent();
    const relay = await startBackend({}, agent);
    open.relays.push(relay);
    const a = await follower(relay, WORKSPACE_CHAT_ID);
    const b = await follower(relay, WORKSPACE_CHAT_ID);
    open.clients.push(a.client, b.client);
    return { relay, agent, a: a.client, b: b.client };
  }

  it('names the channel in ready, acks a write once, fans it out once, and runs no turn', async () => {
    const { agent, a, b } = await setUp();
    const ready = await a.waitType('ready');
    expect(ready.workspace).toBe(WORKSPACE_CHAT_ID);
    const changes = [change('title', 'Trip'), change('pinned', true)];
    const id = `w-${Date.now()}`;
    const frame = { type: 'workspace_write' as const, chat_id: WORKSPACE_CHAT_ID, client_msg_id: id, changes };
    const ack = await request(a, frame, id);
    if (ack.type !== 'ack') throw new Error(`write refused: ${ack.message}`);
    expect(ack).toMatchObject({ client_msg_id: id, message_id: id });
    const again = await request(a, frame, id);
    expect(again).toEqual(ack);
    const seen = await b.waitFor((fs) =>
      fs.some((f) => f.type === 'workspace' && f.seq === ack.seq) ? true : undefined,
    );
    expect(seen).toBe(true);
    const mine = workspaceEvents(b).filter((e) => e.changes.some((c) => c.at === changes[0]?.at));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.changes).toEqual(changes);
    expect(agent.started).toHaveLength(0);
  });

  it('replays every write to a device that subscribes later, in the order the relay took them', async () => {
    const { relay, a } = await setUp();
    const ats: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = change('title', `name ${i}`);
      ats.push(c.at);
      const id = `r-${Date.now()}-${i}`;
      await request(a, { type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: id, changes: [c] }, id);
    }
    const late = await follower(relay, WORKSPACE_CHAT_ID);
    open.clients.push(late.client);
    const replayed = late.replay
      .filter((e): e is WorkspaceEvent => e.type === 'workspace')
      .flatMap((e) => e.changes.map((c) => c.at))
      .filter((at) => ats.includes(at));
    expect(replayed).toEqual(ats);
  });
});

describe.each(Object.entries(BACKENDS))('workspace compaction (%s)', (_name, startBackend) => {
  const stamp = (wall: number) => `${String(wall).padStart(15, '0')}.000000.desk`;

  it('drops the changes that lost: a new device and one with an old cursor merge to the same state, a deletion stays', async () => {
    const relay = await startBackend({ replayMaxEvents: 10 }, contractAgent());
    open.relays.push(relay);
    const writer = await follower(relay, WORKSPACE_CHAT_ID);
    open.clients.push(writer.client);
    const run = `${Date.now()}`;
    const chats = Array.from({ length: 10 }, (_, i) => `cmp-${run}-${i}`);
    const gone = chats[0] ?? '';
    const base = Date.now();
    const all: WorkspaceChange[] = [];
    let cursor = 0;
    for (let w = 1; w <= 25; w++) {
      // Each write renames every chat five times; only the last of them can win.
      const changes: WorkspaceChange[] = chats.flatMap((chat) =>
        Array.from({ length: 5 }, (_, v) => ({
          chat,
          field: 'title',
          value: `w${w} v${v}`,
          at: stamp(base + w * 1000 + v),
        })),
      );
      // Deleted at write 2; a restore written later by a device whose clock is behind loses to it.
      if (w === 2) changes.push({ chat: gone, field: 'deleted', value: true, at: stamp(base + 2999) });
      if (w === 10) changes.push({ chat: gone, field: 'deleted', value: false, at: stamp(base + 500) });
      if (w === 22) changes.push({ chat: chats[1] ?? '', field: 'pinned', value: true, at: stamp(base + 22_999) });
      all.push(...changes);
      const id = `cmp-${run}-${w}`;
      const ack = await request(
        writer.client,
        { type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: id, changes },
        id,
      );
      if (ack.type !== 'ack') throw new Error(`write refused: ${ack.message}`);
      if (w === 5) cursor = ack.seq;
    }
    // 1,250 changes: the log was compacted once the first 1,000 were in (on Redis just after that write's ack).
    await writer.client.waitFor(() => (relay.logs.some((l) => l.includes('workspace compacted')) ? true : undefined));
    const chatSet = new Set(chats);
    const expected = workspaceState(all, chatSet);
    expect(isDeleted(expected.get(gone))).toBe(true);
    expect(expected.get(chats[1] ?? '')?.fields.pinned?.value).toBe(true);

    const fresh = await follower(relay, WORKSPACE_CHAT_ID);
    open.clients.push(fresh.client);
    expect(fresh.subscribed.recovered).toBe(true);
    const freshChanges = changesOf(fresh.replay).filter((c) => chatSet.has(c.chat));
    expect(workspaceState(freshChanges, chatSet)).toEqual(expected);
    // What is left: the winners of the first 20 writes (a title per chat, the tombstone), then the last five whole.
    expect(freshChanges).toHaveLength(10 + 1 + 5 * 50 + 1);

    // A device that had read up to write 5 (before the compaction) gets only what came after, and converges.
    const behind = await follower(relay, WORKSPACE_CHAT_ID, { epoch: writer.subscribed.epoch, after_seq: cursor });
    open.clients.push(behind.client);
    expect(behind.subscribed.recovered).toBe(true);
    const seenBefore = all.slice(0, 5 * 50 + 1);
    expect(workspaceState([...seenBefore, ...changesOf(behind.replay)], chatSet)).toEqual(expected);
  });
});

describe.each(Object.entries(BACKENDS))('workspace clock drift (%s)', (_name, startBackend) => {
  it('refuses a write stamped more than 5 minutes ahead of the relay clock, stores none of it, and stays usable', async () => {
    const clock = 1_800_000_000_000;
    const relay = await startBackend({}, contractAgent(), () => clock);
    open.relays.push(relay);
    const { client } = await follower(relay, WORKSPACE_CHAT_ID);
    open.clients.push(client);
    const stamp = (aheadMs: number, node: string) => `${String(clock + aheadMs).padStart(15, '0')}.000000.${node}`;
    const run = `drift-${Date.now()}`;
    const frame = (id: string, changes: WorkspaceChange[]) =>
      ({ type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: id, changes }) as const;
    // One change in bounds and one far ahead: the whole write is refused, so no field of it lands.
    const refused = await request(
      client,
      frame(`${run}-1`, [
        { chat: run, field: 'title', value: 'in bounds', at: stamp(60_000, 'fine') },
        { chat: run, field: 'pinned', value: true, at: stamp(3_600_000, 'ahead') },
      ]),
      `${run}-1`,
    );
    expect(refused).toEqual({
      type: 'error',
      code: 'clock_ahead',
      message:
        "a change is stamped 3600 s ahead of the relay's clock (at most 300 s): set this device's clock right, then write again",
      chat_id: WORKSPACE_CHAT_ID,
      ref: `${run}-1`,
    });
    const taken = await request(
      client,
      frame(`${run}-2`, [{ chat: run, field: 'title', value: 'five minutes ahead', at: stamp(300_000, 'fine') }]),
      `${run}-2`,
    );
    expect(taken).toMatchObject({ type: 'ack', client_msg_id: `${run}-2` });
    const late = await follower(relay, WORKSPACE_CHAT_ID);
    open.clients.push(late.client);
    const mine = late.replay.flatMap((e) => (e.type === 'workspace' ? e.changes : [])).filter((c) => c.chat === run);
    expect(mine.map((c) => c.value)).toEqual(['five minutes ahead']);
  });
});
