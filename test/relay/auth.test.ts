/** The auth matrix on a live relay: client and agent endpoints, issued tokens, Origin, client ids; no token in logs. */

import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandshakeError, TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const TOKEN = 'client-token-0123456789abcdef';
const SECRET = 'issue-secret-0123456789abcdef';
const AGENT_TOKEN = 'agent-token-0123456789abcdef';

let relay: TestRelay;
let clock = Date.now();
beforeAll(async () => {
  relay = await startRelay(
    {
      token: TOKEN,
      tokenIssueSecret: SECRET,
      tokenTtlSec: 60,
      agent: 'remote',
      agentToken: AGENT_TOKEN,
      allowClients: [],
    },
    undefined,
    () => clock,
  );
});
afterAll(() => relay.close());

async function status(opts: Parameters<typeof TestClient.connect>[1]): Promise<number> {
  try {
    const c = await TestClient.connect(relay.wsBase, opts);
    c.close();
    return 101;
  } catch (err) {
    if (err instanceof HandshakeError) return err.status;
    throw err;
  }
}

async function issue(auth?: string): Promise<Response> {
  return fetch(`${relay.httpBase}/auth/token`, { method: 'POST', headers: auth ? { authorization: auth } : {} });
}

describe('client endpoint', () => {
  it.each([
    ['no token', {}, 401],
    ['a wrong token', { token: 'wrong-token-0123456789' }, 401],
    ['the agent token', { token: AGENT_TOKEN }, 401],
    ['the static token', { token: TOKEN }, 101],
    ['the token in Sec-WebSocket-Protocol', { protocols: ['parley.v2', `parley.auth.${TOKEN}`] }, 101],
    ['a bad Origin', { token: TOKEN, origin: 'https://evil.example' }, 403],
    ['a lookalike localhost Origin', { token: TOKEN, origin: 'http://localhost.evil.example' }, 403],
    ['a localhost Origin', { token: TOKEN, origin: 'http://localhost:5173' }, 101],
    ['an invalid client_id', { token: TOKEN, clientId: 'a b' }, 403],
    ['only the auth subprotocol (no parley.v2)', { protocols: [`parley.auth.${TOKEN}`] }, 400],
  ] as const)('with %s answers %i', async (_name, opts, expected) => {
    expect(await status(opts)).toBe(expected);
  });

  it('refuses a protocol 1 client at the handshake and says what to do', async () => {
    expect(await status({ protocols: ['parley.v1', `parley.auth.${TOKEN}`] })).toBe(400);
    const url = new URL(`${relay.wsBase}/ws`);
    const reason = await new Promise<string>((resolve, reject) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: '/ws',
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'sec-websocket-protocol': `parley.v1, parley.auth.${TOKEN}`,
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`));
      });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(reason).toMatch(/^400 this relay speaks protocol 2 \(parley\.v2\), not parley\.v1: update the client/);
  });

  it('selects the parley.v2 subprotocol when offered', async () => {
    const c = await TestClient.connect(relay.wsBase, { protocols: ['parley.v2', `parley.auth.${TOKEN}`] });
    expect(c.ws.protocol).toBe('parley.v2');
    c.close();
  });

  it('accepts an issued token once, refuses it reused, and refuses it expired', async () => {
    const res = await issue(`Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expires_in: number };
    expect(body.expires_in).toBe(60);
    expect(await status({ token: body.token })).toBe(101);
    expect(await status({ token: body.token })).toBe(401);
    const late = (await (await issue(`Bearer ${SECRET}`)).json()) as { token: string };
    clock += 61_000;
    expect(await status({ token: late.token })).toBe(401);
    clock = Date.now();
  });
});

describe('token issue endpoint', () => {
  it.each([
    ['no secret', undefined, 401],
    ['a wrong secret', 'Bearer not-the-secret-at-all', 401],
    ['the client token', `Bearer ${TOKEN}`, 401],
  ])('with %s answers %i', async (_name, auth, expected) => {
    expect((await issue(auth)).status).toBe(expected);
  });
});

describe('agent endpoint', () => {
  const agentStatus = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${relay.wsBase}/agent`, { headers });
      ws.once('open', () => (ws.close(), resolve(101)));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', reject);
    });

  it.each([
    ['no credential', {}, 401],
    ['the client token', { authorization: `Bearer ${TOKEN}` }, 401],
    ['a wrong token', { authorization: 'Bearer wrong-agent-token-000000' }, 401],
    ['the agent token', { authorization: `Bearer ${AGENT_TOKEN}` }, 101],
  ])('with %s answers %i', async (_name, headers, expected) => {
    expect(await agentStatus(headers)).toBe(expected);
  });
});

describe('client allowlist', () => {
  it('does not use up an issued token when it refuses the client id', async () => {
    const listed = await startRelay({ allowClients: ['laptop'], tokenIssueSecret: SECRET });
    const res = await fetch(`${listed.httpBase}/auth/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    const { token } = (await res.json()) as { token: string };
    await expect(TestClient.connect(listed.wsBase, { token, clientId: 'tablet' })).rejects.toMatchObject({
      status: 403,
    });
    const ok = await TestClient.connect(listed.wsBase, { token, clientId: 'laptop' });
    ok.close();
    await listed.close();
  });

  it('admits only listed client ids', async () => {
    const listed = await startRelay({ allowClients: ['laptop', 'phone'] });
    const tryId = async (clientId?: string) => {
      try {
        (await TestClient.connect(listed.wsBase, clientId ? { clientId } : {})).close();
        return 101;
      } catch (err) {
        return err instanceof HandshakeError ? err.status : -1;
      }
    };
    expect(await tryId('laptop')).toBe(101);
    expect(await tryId('tablet')).toBe(403);
    expect(await tryId()).toBe(403);
    await listed.close();
  });
});

describe('origin allowlist', () => {
  it('admits exactly the listed origins and the relay own origin, and no longer any localhost', async () => {
    const listed = await startRelay({ allowedOrigins: ['https://chat.example.com'] });
    const port = listed.server.port;
    const tryOrigin = async (origin: string) => {
      try {
        (await TestClient.connect(listed.wsBase, { origin })).close();
        return 101;
      } catch (err) {
        return err instanceof HandshakeError ? err.status : -1;
      }
    };
    expect(await tryOrigin('https://chat.example.com')).toBe(101);
    expect(await tryOrigin('https://chat.example.com.evil.example')).toBe(403);
    expect(await tryOrigin('http://localhost:5173')).toBe(403);
    expect(await tryOrigin(`http://127.0.0.1:${port}`)).toBe(101);
    expect(await tryOrigin(`https://127.0.0.1:${port}`)).toBe(101);
    await listed.close();
  });
});

describe('logs', () => {
  it('never contain a token, a secret or an issued token', async () => {
    const issued = (await (await issue(`Bearer ${SECRET}`)).json()) as { token: string };
    await status({ token: issued.token });
    await status({ token: issued.token });
    const text = relay.logs.join('\n');
    expect(relay.logs.length).toBeGreaterThan(10);
    for (const secret of [TOKEN, SECRET, AGENT_TOKEN, issued.token]) expect(text).not.toContain(secret);
  });
});
