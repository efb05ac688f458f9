/** Issue 12 item 2: DNS rebinding. Every endpoint answers only under a Host the relay is served under. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFiles } from '../../relay/adapters/node/files.ts';
import { serveNode, type RunningServer } from '../../relay/adapters/node/serve.ts';
import { createAgent } from '../../relay/agents/create.ts';
import { DEFAULTS, parseConfig, type RelayConfig } from '../../relay/config.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { assembleRelay } from '../../relay/assemble.ts';
import { httpWith, rawExchange, upgradeRequest } from '../helpers/raw-peer.ts';

const TOKEN = 'client-token-0123456789abcdef';
const SECRET = 'issue-secret-0123456789abcdef';
const EVIL = 'rebind.evil.example';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(config: Partial<RelayConfig> = {}): Promise<number> {
  const dist = mkdtempSync(join(tmpdir(), 'parley-host-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Parley</title>');
  const full: RelayConfig = { ...DEFAULTS, port: 0, demoDelayMs: 1, logLevel: 'silent', ...config };
  const logger = createLogger('silent');
  const relay = assembleRelay(full, createAgent(full, logger), { logger, files: nodeFiles(dist) });
  server = await serveNode(relay, full);
  return server.port;
}

const completion = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });

/** Every endpoint, asked as a page at `origin` would ask under the Host `host`. */
async function endpoints(port: number, host: string, extra: Record<string, string> = {}) {
  const origin = `http://${host}`;
  const h = { host, origin, ...extra };
  const json = { ...h, 'content-type': 'application/json' };
  const ws = await rawExchange(port, upgradeRequest('/ws', { Host: host, Origin: origin, ...extra }));
  return {
    '/ws upgrade': { status: Number(ws.slice(9, 12)), acao: undefined, body: ws },
    'POST /v1/chat/completions': await httpWith(port, 'POST', '/v1/chat/completions', json, completion),
    'OPTIONS /v1/chat/completions': await httpWith(port, 'OPTIONS', '/v1/chat/completions', {
      ...h,
      'access-control-request-method': 'POST',
    }),
    'GET /v1/models': await httpWith(port, 'GET', '/v1/models', h),
    'POST /auth/token': await httpWith(port, 'POST', '/auth/token', { ...h, authorization: `Bearer ${SECRET}` }),
    'GET /healthz': await httpWith(port, 'GET', '/healthz', { host }),
    'GET / (static)': await httpWith(port, 'GET', '/', { host }),
  };
}

describe('a rebinding page (Host rebind.evil.example and the matching Origin)', () => {
  it.each([
    ['the default relay (no token)', {}],
    ['a relay issuing tokens', { tokenIssueSecret: SECRET }],
  ])('is refused with 421 on every endpoint of %s, and no allow-origin is echoed', async (_what, config) => {
    const port = await start(config);
    for (const [what, res] of Object.entries(await endpoints(port, `${EVIL}:${port}`))) {
      expect(res.status, `${what} under Host ${EVIL}: ${res.body.slice(0, 200)}`).toBe(421);
      if ('headers' in res) expect(res.headers['access-control-allow-origin'], what).toBeUndefined();
      expect(res.body, what).toContain('--allowed-hosts');
    }
  });

  it('is still refused when the relay listens beyond loopback with a token', async () => {
    const port = await start({ host: '0.0.0.0', token: TOKEN });
    const res = await httpWith(port, 'GET', '/healthz', { host: `${EVIL}:${port}` });
    expect(res.status).toBe(421);
  });
});

describe('the names the relay is served under', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]'])('%s (any port) reaches every endpoint', async (name) => {
    const port = await start({ tokenIssueSecret: SECRET });
    const host = `${name}:${port}`;
    const res = await endpoints(port, host);
    expect(res['/ws upgrade'].status, res['/ws upgrade'].body).toBe(401); // past Host and Origin, asks for a token
    expect(res['POST /v1/chat/completions'].status).toBe(401);
    expect(res['OPTIONS /v1/chat/completions'].headers['access-control-allow-origin']).toBe(`http://${host}`);
    expect(res['POST /auth/token'].status).toBe(200);
    expect(res['GET /healthz'].status).toBe(200);
    expect(res['GET / (static)'].status).toBe(200);
    expect((await httpWith(port, 'GET', '/healthz', { host: name })).status, 'without a port').toBe(200);
  });

  it('the default relay without a token still answers its own origin (the client it serves)', async () => {
    const port = await start();
    const res = await endpoints(port, `127.0.0.1:${port}`);
    expect(res['/ws upgrade'].status, res['/ws upgrade'].body).toBe(101);
    expect(res['POST /v1/chat/completions'].status).toBe(200);
    expect(res['POST /v1/chat/completions'].headers['access-control-allow-origin']).toBe(`http://127.0.0.1:${port}`);
  });

  it('an IP address in Host is the address the browser dialled, so a LAN address works without listing', async () => {
    const port = await start({ host: '0.0.0.0', token: TOKEN });
    const host = `192.168.1.20:${port}`;
    const res = await endpoints(port, host, { authorization: `Bearer ${TOKEN}` });
    expect(res['GET /healthz'].status).toBe(200);
    expect(res['POST /v1/chat/completions'].status).toBe(200);
    expect(res['POST /v1/chat/completions'].headers['access-control-allow-origin']).toBe(`http://${host}`);
  });

  it('a listed name works, same origin included; other names stay refused', async () => {
    const port = await start({ host: '0.0.0.0', token: TOKEN, allowedHosts: ['chat.example.com'] });
    const host = `chat.example.com:${port}`;
    const ws = await rawExchange(port, upgradeRequest(`/ws?token=${TOKEN}`, { Host: host, Origin: `http://${host}` }));
    expect(ws.slice(0, 12)).toBe('HTTP/1.1 101');
    const res = await endpoints(port, host, { authorization: `Bearer ${TOKEN}` });
    expect(res['POST /v1/chat/completions'].status).toBe(200);
    expect(res['GET / (static)'].status).toBe(200);
    expect((await httpWith(port, 'GET', '/healthz', { host: `CHAT.example.com:${port}` })).status).toBe(200);
    expect((await httpWith(port, 'GET', '/healthz', { host: `${EVIL}:${port}` })).status).toBe(421);
  });

  it('--allowed-hosts * answers any Host, but an unlisted one is never taken as the relay own origin', async () => {
    const port = await start({ host: '0.0.0.0', token: TOKEN, allowedHosts: ['*'] });
    const host = `${EVIL}:${port}`;
    expect((await httpWith(port, 'GET', '/healthz', { host })).status).toBe(200);
    const res = await endpoints(port, host, { authorization: `Bearer ${TOKEN}` });
    expect(res['POST /v1/chat/completions'].status).toBe(403);
    expect(res['POST /v1/chat/completions'].headers['access-control-allow-origin']).toBeUndefined();
    const ws = await rawExchange(port, upgradeRequest(`/ws?token=${TOKEN}`, { Host: host, Origin: `http://${host}` }));
    expect(ws.slice(0, 12)).toBe('HTTP/1.1 403');
  });

  it('a malformed Host is a 400', async () => {
    const port = await start();
    expect((await httpWith(port, 'GET', '/healthz', { host: 'a b:1' })).status).toBe(400);
    expect((await httpWith(port, 'GET', '/healthz', { host: 'x:y:z' })).status).toBe(400);
  });
});

describe('--allowed-hosts', () => {
  it('takes names, refuses schemes and ports, and refuses * on a relay without a token', () => {
    const ok = parseConfig(['--allowed-hosts', 'chat.example.com, 10.0.0.5'], {});
    expect(ok.ok && ok.config.allowedHosts).toEqual(['chat.example.com', '10.0.0.5']);
    const scheme = parseConfig(['--allowed-hosts', 'https://chat.example.com'], {});
    expect(!scheme.ok && scheme.error).toContain('is not a host name');
    const port = parseConfig([], { PARLEY_ALLOWED_HOSTS: 'chat.example.com:443' });
    expect(!port.ok && port.error).toContain('is not a host name');
    const any = parseConfig(['--allowed-hosts', '*'], {});
    expect(!any.ok && any.error).toBe('--allowed-hosts * needs --token or --token-issue-secret');
    expect(parseConfig(['--allowed-hosts', '*', '--token', TOKEN], {}).ok).toBe(true);
  });
});
