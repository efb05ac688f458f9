/** The relay listening with TLS (wss) and on a Unix socket, and serving the built client with the right headers. */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFiles } from '../../relay/adapters/node/files.ts';
import { serveNode } from '../../relay/adapters/node/serve.ts';
import { DemoAgent } from '../../relay/agents/demo/demo-agent.ts';
import { DEFAULTS } from '../../relay/config.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { assembleRelay } from '../../relay/assemble.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-listen-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function start(config: Partial<typeof DEFAULTS>, files?: string) {
  const full = { ...DEFAULTS, port: 0, logLevel: 'silent' as const, ...config };
  const relay = assembleRelay(full, new DemoAgent({ delayMs: 0 }), {
    logger: createLogger('silent'),
    ...(files ? { files: nodeFiles(files) } : {}),
  });
  const server = await serveNode(relay, full);
  cleanups.push(() => server.close());
  return server;
}

function firstFrame(ws: WebSocket): Promise<{ type: string }> {
  return new Promise((resolve, reject) => {
    ws.once('message', (d) => resolve(JSON.parse(d.toString()) as { type: string }));
    ws.once('error', reject);
  });
}

describe('listeners', () => {
  it('serves wss and https with a certificate and key', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const server = await start({ tlsCert: cert, tlsKey: key });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/ws`, { rejectUnauthorized: false });
    expect((await firstFrame(ws)).type).toBe('ready');
    ws.close();
  });

  it('listens on a Unix socket for a local reverse proxy', async () => {
    const path = join(dir, 'parley.sock');
    const server = await start({ unixSocket: path });
    expect(server.url).toBe(`unix:${path}`);
    const ws = new WebSocket(`ws+unix://${path}:/ws`);
    expect((await firstFrame(ws)).type).toBe('ready');
    ws.close();
  });
});

describe('static client', () => {
  it('serves index.html for / and app routes, caches hashed assets forever, and refuses path tricks', async () => {
    const root = join(dir, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Parley</title>');
    writeFileSync(join(root, 'assets', 'app-Ab12Cd34.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve');
    const server = await start({}, root);
    const base = `http://127.0.0.1:${server.port}`;
    const index = await fetch(`${base}/`);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "script-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(await (await fetch(`${base}/c/some-chat`)).text()).toContain('<title>Parley</title>');
    const asset = await fetch(`${base}/assets/app-Ab12Cd34.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const dotted = await fetch(`${base}/%2e%2e/secret.txt`);
    expect(await dotted.text()).not.toContain('do not serve');
    expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(400);
    expect((await fetch(`${base}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${base}/ws`)).status).toBe(426);
  });
});
