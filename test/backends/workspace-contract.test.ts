/** The workspace channel on both backends: a write is logged once, fanned out to every follower, replayed, and runs no turn. */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WORKSPACE_CHAT_ID, type WorkspaceChange, type WorkspaceEvent } from '../../shared/index.ts';
import type { TestClient } from '../helpers/client.ts';
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
