/** Fault suite, relay edge (issue 12 items 1, 2 and 9): each scenario an attack the relay once failed, by name. */

import { afterEach, describe, it } from 'vitest';
import { HandshakeError, TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { verdict } from './verdict.ts';

const SECRET = 'issue-secret-0123456789abcdef';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function relay(config: Parameters<typeof startRelay>[0]): Promise<TestRelay> {
  const r = await startRelay(config);
  stops.push(() => r.close());
  return r;
}

/** A handshake's HTTP status: 101 when it opens (the socket is then closed again). */
async function handshake(base: string, token: string): Promise<number> {
  try {
    const c = await TestClient.connect(base, { token });
    c.close();
    await c.waitClose();
    return 101;
  } catch (err) {
    if (err instanceof HandshakeError) return err.status;
    throw err;
  }
}

describe('issue 12 item 9: smaller edges', () => {
  it('9a: a handshake refused for the per-address cap (429) does not spend its issued token', async () => {
    const r = await relay({ tokenIssueSecret: SECRET, maxConnectionsPerIp: 1 });
    const issue = async () => {
      const res = await fetch(`${r.httpBase}/auth/token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}` },
      });
      return ((await res.json()) as { token: string }).token;
    };
    const holder = await TestClient.connect(r.wsBase, { token: await issue() });
    const token = await issue();
    verdict('9a per-address cap', 'second handshake while one is open', 429, await handshake(r.wsBase, token));
    holder.close();
    await holder.waitClose();
    for (let i = 0; i < 100 && r.relay.health().clients > 0; i++) await new Promise((res) => setTimeout(res, 20));
    verdict('9a per-address cap', 'the same token once the cap allows it', 101, await handshake(r.wsBase, token));
  });
});
