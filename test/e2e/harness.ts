/** Starts the built relay (serving a private copy of dist/) and a headless Chromium for the end-to-end tests. */

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's Chromium, headless, with what stalls it on a closed network turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => ok(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Harness {
  base: string;
  browser: Browser;
  /** The copy of dist/ the relay serves; tests "deploy" new builds into it. */
  site: string;
  /** Simulates deploying a new build: a changed index.html and a service worker whose precache names it. */
  deployNewBuild(marker: string): void;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const relayMain = join(ROOT, 'build/relay/main.node.js');
  const dist = join(ROOT, 'dist');
  if (!existsSync(relayMain) || !existsSync(join(dist, 'sw.js'))) {
    throw new Error('Run `npm run build` first: the e2e tests need dist/ and build/relay/main.node.js.');
  }
  const site = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  cpSync(dist, site, { recursive: true });
  // The relay's chats live outside the served site, in a directory of their own, removed with the site.
  const data = mkdtempSync(join(tmpdir(), 'parley-e2e-data-'));
  const port = await freePort();
  const relay: ChildProcess = spawn(
    process.execPath,
    [
      relayMain,
      ...['--port', String(port), '--static', site, '--demo-delay-ms', '3', '--log-level', 'warn'],
      ...['--data-dir', data],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}healthz`)).ok) break;
    } catch {
      if (i > 100) throw new Error('relay did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await launchChromium();
  return {
    base,
    browser,
    site,
    deployNewBuild(marker) {
      const indexPath = join(site, 'index.html');
      const html = readFileSync(indexPath, 'utf8').replace(
        '<head>',
        `<head>\n    <meta name="parley-build" content="${marker}" />`,
      );
      writeFileSync(indexPath, html);
      const swPath = join(site, 'sw.js');
      const sw = readFileSync(swPath, 'utf8');
      const changed = sw.replace(/("revision":")[^"]+(","url":"index\.html")/, `$1${marker}$2`);
      if (changed === sw) throw new Error('could not find index.html in the service worker precache manifest');
      writeFileSync(swPath, changed);
    },
    async close() {
      await browser.close();
      if (relay.pid !== undefined) relay.kill();
      rmSync(site, { recursive: true, force: true });
      rmSync(data, { recursive: true, force: true });
    },
  };
}
