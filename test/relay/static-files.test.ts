/** The client's files as the relay serves them on Node and on Deno: precompressed copies by Accept-Encoding, caching, 304s. */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFiles } from '../../relay/adapters/node/files.ts';
import { serveNode } from '../../relay/adapters/node/serve.ts';
import { DemoAgent } from '../../relay/agents/demo/demo-agent.ts';
import { assembleRelay } from '../../relay/assemble.ts';
import { DEFAULTS } from '../../relay/config.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { CONTENT_SECURITY_POLICY, DIAGRAM_FRAME_POLICY } from '../../relay/http/static-files.ts';
import { denoRelayCommand, ROOT, startRelayProcess } from '../helpers/spawn.ts';

// Inside the repo: the Deno relay may read only there.
const dir = join(ROOT, '.tmp', `static-${process.pid}-${Date.now()}`);
const root = join(dir, 'dist');
const ASSET = 'assets/index-B0u9QGi5.js';
const text = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}(${i % 97});`).join('\n');
const FILES: Record<string, string> = {
  'index.html': `<!doctype html><title>Parley</title>${text(80, '<p>x</p>')}`,
  'sw.js': text(60, 'self.skip'),
  'manifest.webmanifest': JSON.stringify({ name: 'Parley', pad: text(120, 'm') }),
  [ASSET]: text(400, 'console.log'),
  'assets/tiny-Ab12Cd34.js': 'export {};',
  'diagram-frame.html': `<!doctype html><title>Parley diagrams</title>${text(40, '<p>d</p>')}`,
};

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly these headers (fetch would add its own Accept-Encoding and decode the body). */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const servers: { name: string; base: string; stop: () => Promise<unknown> }[] = [];
beforeAll(async () => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  for (const [path, body] of Object.entries(FILES)) writeFileSync(join(root, path), body);
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  // The build's own step, on these files.
  execFileSync(process.execPath, [join(ROOT, 'scripts/precompress.mjs'), root], { stdio: 'ignore' });
  const config = { ...DEFAULTS, port: 0, logLevel: 'silent' as const };
  const relay = assembleRelay(config, new DemoAgent({ delayMs: 0 }), {
    logger: createLogger('silent'),
    files: nodeFiles(root),
  });
  const node = await serveNode(relay, config);
  servers.push({ name: 'node', base: `http://127.0.0.1:${node.port}`, stop: () => node.close() });
  const deno = await startRelayProcess(denoRelayCommand(['--port', '0', '--static', root]));
  servers.push({ name: 'deno', base: deno.url, stop: () => deno.stop() });
}, 60_000);
afterAll(async () => {
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['node', 'deno'])('static files on %s', (name) => {
  const base = () => servers.find((s) => s.name === name)?.base ?? '';

  it('sends the brotli or gzip copy the client accepts, and the file itself to one that accepts none', async () => {
    const file = Buffer.from(FILES[ASSET] ?? '');
    const br = await get(base(), `/${ASSET}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect([br.status, br.headers['content-encoding'], br.headers['vary']]).toEqual([200, 'br', 'Accept-Encoding']);
    expect(brotliDecompressSync(br.body)).toEqual(file);
    expect(br.body.length).toBeLessThan(file.length / 4);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');

    const gz = await get(base(), `/${ASSET}`, { 'accept-encoding': 'br;q=0, *' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body)).toEqual(file);

    const refusals: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
    ];
    for (const headers of refusals) {
      const plain = await get(base(), `/${ASSET}`, headers);
      expect([plain.status, plain.headers['content-encoding']]).toEqual([200, undefined]);
      expect(plain.body).toEqual(file);
    }
    // Too small to be worth a copy: sent as it is, whatever the client accepts.
    const tiny = await get(base(), '/assets/tiny-Ab12Cd34.js', { 'accept-encoding': 'br' });
    expect([tiny.headers['content-encoding'], tiny.body.toString()]).toEqual([undefined, 'export {};']);
  });

  it.each(['index.html', 'sw.js', 'manifest.webmanifest'])(
    'revalidates %s: no-cache, an ETag per coding, and 304 when it still matches',
    async (path) => {
      const first = await get(base(), `/${path}`, { 'accept-encoding': 'br' });
      expect([first.status, first.headers['cache-control'], first.headers['content-encoding']]).toEqual([
        200,
        'no-cache',
        'br',
      ]);
      expect(brotliDecompressSync(first.body).toString()).toBe(FILES[path]);
      const etag = String(first.headers['etag']);
      expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
      const again = await get(base(), `/${path}`, { 'accept-encoding': 'br', 'if-none-match': `"x", W/${etag}` });
      expect([again.status, again.headers['etag'], again.body.length]).toEqual([304, etag, 0]);
      // Another coding is another representation: its own ETag, so a cached brotli copy never answers for it.
      const plain = await get(base(), `/${path}`, { 'if-none-match': etag });
      expect([plain.status, plain.body.toString()]).toEqual([200, FILES[path]]);
      expect(plain.headers['etag']).not.toBe(etag);
      const changed = await get(base(), `/${path}`, { 'accept-encoding': 'br', 'if-none-match': '"stale"' });
      expect(changed.status).toBe(200);
    },
  );

  it('serves the shell for app routes and still refuses paths that leave the root', async () => {
    const route = await get(base(), '/c/some-chat', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(route.body).toString()).toBe(FILES['index.html']);
    for (const path of [
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt.gz',
    ]) {
      const res = await get(base(), path, { 'accept-encoding': 'br, gzip' });
      expect(res.body.toString(), path).not.toContain('do not serve');
      expect([400, 404], path).toContain(res.status);
    }
    const head = await get(base(), `/${ASSET}`, { 'accept-encoding': 'br' }, 'HEAD');
    expect([head.status, head.headers['content-encoding'], head.body.length]).toEqual([200, 'br', 0]);
  });

  it('sends the diagram frame its own policy (inline styles, framed by the app only) and the app its own', async () => {
    const frame = await get(base(), '/diagram-frame.html', { 'accept-encoding': 'br' });
    expect(frame.headers['content-security-policy']).toBe(DIAGRAM_FRAME_POLICY);
    expect(DIAGRAM_FRAME_POLICY).toContain("frame-ancestors 'self'");
    expect(DIAGRAM_FRAME_POLICY).toContain("script-src 'self';");
    const app = await get(base(), '/index.html');
    expect(app.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // The static hosts' copy says the same for the frame's path.
    const headers = readFileSync(join(ROOT, 'public/_headers'), 'utf8');
    const block = headers.slice(headers.indexOf('/diagram-frame.html'));
    expect(/^\s+Content-Security-Policy: (.+)$/m.exec(block)?.[1]).toBe(DIAGRAM_FRAME_POLICY);
  });
});

describe.each(['node', 'deno'])('a file replaced after the build, on %s', (name) => {
  it('is sent as it now is, never as the older compressed copy', async () => {
    const base = servers.find((s) => s.name === name)?.base ?? '';
    const path = `replaced-${name}.js`;
    writeFileSync(join(root, path), text(80, 'old'));
    execFileSync(process.execPath, [join(ROOT, 'scripts/precompress.mjs'), root], { stdio: 'ignore' });
    expect((await get(base, `/${path}`, { 'accept-encoding': 'br' })).headers['content-encoding']).toBe('br');
    writeFileSync(join(root, path), text(80, 'new'));
    const res = await get(base, `/${path}`, { 'accept-encoding': 'br, gzip' });
    expect([res.headers['content-encoding'], res.body.toString()]).toEqual([undefined, text(80, 'new')]);
  });
});

describe('precompress.mjs', () => {
  it('leaves config.json alone: it is edited in place after the build', () => {
    writeFileSync(join(root, 'config.json'), JSON.stringify({ relay: text(100, 'wss://x') }));
    execFileSync(process.execPath, [join(ROOT, 'scripts/precompress.mjs'), root], { stdio: 'ignore' });
    expect(() => readFileSync(join(root, 'config.json.br'))).toThrow();
  });
});
