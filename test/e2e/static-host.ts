/** A plain static host serving a copy of dist/ under a sub-path, as GitHub Pages or a CDN would: no relay behind it. */

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { freePort } from './harness.ts';

const DIST = resolve(import.meta.dirname, '../../dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticHost {
  /** `http://127.0.0.1:<port>/sub/path/` */
  base: string;
  /** The copy of dist/ it serves (tests may add or remove files). */
  site: string;
  close(): Promise<void>;
}

/** A route the test answers itself (a site's own backend, a config.json it changes): true when it answered. */
export type SiteRoute = (path: string, req: IncomingMessage, res: ServerResponse) => boolean;

export async function startStaticHost(prefix = '/sub/path/', route?: SiteRoute): Promise<StaticHost> {
  if (!existsSync(join(DIST, 'sw.js'))) throw new Error('Run `npm run build` first: this test serves dist/.');
  const site = mkdtempSync(join(tmpdir(), 'parley-static-'));
  cpSync(DIST, site, { recursive: true });
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (route?.(path, req, res)) return;
    const rel = path.startsWith(prefix) ? path.slice(prefix.length) || 'index.html' : undefined;
    const file = rel === undefined ? undefined : normalize(join(site, rel));
    if (!file || !file.startsWith(site) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    base: `http://127.0.0.1:${port}${prefix}`,
    site,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      rmSync(site, { recursive: true, force: true });
    },
  };
}
