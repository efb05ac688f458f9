/** Every endpoint × every kind of bad credential, on one relay: each refused with the right status; no secret in the logs. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFiles } from '../../relay/adapters/node/files.ts';
import { serveNode, type RunningServer } from '../../relay/adapters/node/serve.ts';
import { RemoteAgent } from '../../relay/agents/remote.ts';
import { DEFAULTS } from '../../relay/config.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { assembleRelay } from '../../relay/assemble.ts';

const TOKEN = 'client-token-0123456789abcdef';
const SECRET = 'issue-secret-0123456789abcdef';
const AGENT = 'agent-token-0123456789abcdef';
const EVIL = 'https://evil.example';

let server: RunningServer;
let base: string;
const logs: string[] = [];
let clock = Date.now();

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'parley-matrix-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Parley</title>');
  const config = {
    ...DEFAULTS,
    port: 0,
    token: TOKEN,
    tokenIssueSecret: SECRET,
    agentToken: AGENT,
    agent: 'remote' as const,
  };
  const logger = createLogger('debug', (line) => logs.push(line));
  const relay = assembleRelay(config, new RemoteAgent(logger), { logger, files: nodeFiles(dist), now: () => clock });
  server = await serveNode(relay, config);
  base = `127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

async function issue(): Promise<string> {
  const res = await fetch(`http://${base}/auth/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}` },
  });
  return ((await res.json()) as { token: string }).token;
}

async function expired(): Promise<string> {
  const token = await issue();
  clock += DEFAULTS.tokenTtlSec * 1000 + 1000;
  return token;
}

async function reused(): Promise<string> {
  const token = await issue();
  await wsStatus('/ws', { bearer: token });
  return token;
}

interface Attempt {
  bearer?: string;
  origin?: string;
}

/** The HTTP status of a WebSocket handshake (101 when it opens). */
function wsStatus(path: string, a: Attempt): Promise<number> {
  return new Promise((resolve, reject) => {
    const query = path === '/ws' && a.bearer ? `?token=${encodeURIComponent(a.bearer)}` : '';
    const headers: Record<string, string> =
      path === '/agent' && a.bearer ? { authorization: `Bearer ${a.bearer}` } : {};
    const ws = new WebSocket(`ws://${base}${path}${query}`, { headers, ...(a.origin ? { origin: a.origin } : {}) });
    ws.once('open', () => (ws.close(), resolve(101)));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

async function httpStatus(path: string, a: Attempt, init: RequestInit = {}): Promise<number> {
  const headers: Record<string, string> = {};
  if (a.bearer) headers['authorization'] = `Bearer ${a.bearer}`;
  if (a.origin) headers['origin'] = a.origin;
  const res = await fetch(`http://${base}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
  await res.body?.cancel();
  return res.status;
}

const chat = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
};

type Credential = 'none' | 'wrong' | 'expired' | 'reused' | 'wrong kind' | 'bad origin';
const credentials: Record<Credential, () => Promise<Attempt>> = {
  none: async () => ({}),
  wrong: async () => ({ bearer: 'wrong-credential-0123456789' }),
  expired: async () => ({ bearer: await expired() }),
  reused: async () => ({ bearer: await reused() }),
  'wrong kind': async () => ({ bearer: AGENT }),
  'bad origin': async () => ({ bearer: TOKEN, origin: EVIL }),
};

/** Endpoint → how to try it → the status each bad credential must get. */
const endpoints: [string, (a: Attempt) => Promise<number>, Record<Credential, number>][] = [
  [
    'client WebSocket /ws',
    (a) => wsStatus('/ws', a),
    { none: 401, wrong: 401, expired: 401, reused: 401, 'wrong kind': 401, 'bad origin': 403 },
  ],
  [
    'agent WebSocket /agent',
    (a) => wsStatus('/agent', a),
    { none: 401, wrong: 401, expired: 401, reused: 401, 'wrong kind': 401, 'bad origin': 101 },
  ],
  [
    'token issue POST /auth/token',
    (a) => httpStatus('/auth/token', a, { method: 'POST' }),
    { none: 401, wrong: 401, expired: 401, reused: 401, 'wrong kind': 401, 'bad origin': 401 },
  ],
  [
    'GET /v1/models',
    (a) => httpStatus('/v1/models', a),
    { none: 401, wrong: 401, expired: 401, reused: 401, 'wrong kind': 401, 'bad origin': 403 },
  ],
  [
    'POST /v1/chat/completions',
    (a) => httpStatus('/v1/chat/completions', a, chat),
    { none: 401, wrong: 401, expired: 401, reused: 401, 'wrong kind': 401, 'bad origin': 403 },
  ],
];

describe.each(endpoints)('%s', (_name, attempt, expected) => {
  it.each(Object.keys(credentials) as Credential[])('refuses %s', async (kind) => {
    const credential = await credentials[kind]();
    const isAgent = attempt === endpoints[1]?.[1];
    // "Wrong kind" is another endpoint's secret: the client token on /agent, the agent token elsewhere.
    // The agent endpoint is for processes, not browsers: Origin is not its boundary, the agent token is.
    const bearer =
      isAgent && kind === 'wrong kind' ? TOKEN : isAgent && kind === 'bad origin' ? AGENT : credential.bearer;
    expect(await attempt({ ...credential, ...(bearer ? { bearer } : {}) })).toBe(expected[kind]);
    clock = Date.now();
  });
});

describe('the right credential', () => {
  it.each([
    ['client WebSocket /ws', () => wsStatus('/ws', { bearer: TOKEN }), 101],
    ['client WebSocket /ws with an issued token', async () => wsStatus('/ws', { bearer: await issue() }), 101],
    ['agent WebSocket /agent', () => wsStatus('/agent', { bearer: AGENT }), 101],
    ['GET /v1/models', () => httpStatus('/v1/models', { bearer: TOKEN }), 200],
    ['token issue', () => httpStatus('/auth/token', { bearer: SECRET }, { method: 'POST' }), 200],
  ])('opens %s', async (_name, attempt, status) => {
    expect(await attempt()).toBe(status);
  });

  it('serves the static client without credentials (it holds no secrets; the app asks for the token)', async () => {
    expect(await httpStatus('/', {})).toBe(200);
    expect(await httpStatus('/', { origin: EVIL })).toBe(200);
  });
});

describe('logs', () => {
  it('never contain a token, secret or issued token', async () => {
    const issued = await reused();
    const text = logs.join('\n');
    expect(logs.length).toBeGreaterThan(20);
    for (const secret of [TOKEN, SECRET, AGENT, issued]) expect(text).not.toContain(secret);
  });
});
