/**
 * A loopback static server for the browser benchmarks: the built app (dist/) under /app/, the bench pages
 * under /bench/. One origin, so bench pages can seed the app's IndexedDB; the app's service worker scope
 * (/app/) does not cover /bench/. While `offline` is set every request is refused and counted.
 */

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGES_OUT } from './pages.ts';

export const DIST = fileURLToPath(new URL('../../../dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
};

export interface Site {
  base: string;
  app: string;
  bench: string;
  offline: boolean;
  /** Paths of requests that arrived (and were refused) while `offline` was set. */
  offlineRequests: string[];
  close(): Promise<void>;
}

function resolveFile(url: string): string | undefined {
  const path = decodeURIComponent(new URL(url, 'http://x').pathname);
  const [root, rest] = path.startsWith('/app/')
    ? [DIST, path.slice(5)]
    : path.startsWith('/bench/')
      ? [PAGES_OUT, path.slice(7)]
      : [undefined, ''];
  if (!root) return undefined;
  const file = normalize(join(root, rest || 'index.html'));
  if (!file.startsWith(root)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

export async function startSite(): Promise<Site> {
  const server: Server = createServer((req, res) => {
    if (site.offline) {
      site.offlineRequests.push(new URL(req.url ?? '/', 'http://x').pathname);
      req.socket.destroy();
      return;
    }
    const file = resolveFile(req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
  // No WebSocket endpoint: the app finds no relay and works offline-first, as it would with the relay down.
  server.on('upgrade', (_req, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  const site: Site = {
    base,
    app: `${base}/app/`,
    bench: `${base}/bench/`,
    offline: false,
    offlineRequests: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return site;
}
