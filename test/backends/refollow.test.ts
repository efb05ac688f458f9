/**
 * A chat followed again right after its last follower on this relay left (a tab reloaded, a phone reconnecting):
 * its live events must reach the new follower. On Redis, the chat's channel was being left while the new follower
 * subscribed, and the late unsubscribe silenced it: the send was acked, the turn ran, and nothing live arrived.
 */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TestClient } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { BACKENDS, contractAgent, exchange, follower, stopBackends } from './backends.ts';

const open: { relays: TestRelay[]; clients: TestClient[] } = { relays: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const r of open.relays.splice(0)) await r.close();
});
afterAll(stopBackends);

describe.each(Object.entries(BACKENDS))('following a chat again (%s)', (name, startBackend) => {
  it('delivers live events to a follower that came right after the last one left', async () => {
    const agent = contractAgent();
    const relay = await startBackend({}, agent);
    open.relays.push(relay);
    const chat = `refollow-${name}-${Date.now()}`;
    for (const [i, text] of ['one', 'two', 'three'].entries()) {
      const { client } = await follower(relay, chat);
      open.clients.push(client);
      const { end } = await exchange(client, chat, text, `m-${i}`);
      expect(end.status).toBe('done');
      client.close();
    }
    expect(agent.started).toHaveLength(3);
  });
});
