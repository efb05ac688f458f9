/**
 * Issued tokens end to end, deployed the way they are meant to be: the app on the site's own host (a
 * static server with a small backend route), the relay elsewhere with --token-issue-secret. The backend
 * trades its secret for single-use tokens at the relay's POST /auth/token; the app, told the endpoint in
 * config.json, fetches a fresh one before every connection, also after the relay restarted.
 */

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openChat, replyDone, send, statusText } from './chaos/app-page.ts';
import { RelayProcess } from './chaos/relay-process.ts';
import { freePort, launchChromium } from './harness.ts';

const SECRET = 'issue-secret-for-the-e2e-test';
const DIST = resolve(import.meta.dirname, '../../dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};
let relay: RelayProcess;
let site: Server;
let siteBase: string;
let browser: Browser;
let issued = 0;

/** The site: dist/ as a static host serves it, config.json naming relay and token route, and that route. */
function serveSite(port: number): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', siteBase).pathname;
    if (req.method === 'POST' && path === '/parley-token') {
      // The site decides who may chat (its own session cookie, say); here everyone may.
      void fetch(`${relay.base}auth/token`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } })
        .then(async (answer) => {
          issued++;
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
        })
        .catch(() => res.writeHead(502).end());
      return;
    }
    if (path === '/config.json') {
      const config = { relay: `${relay.wsBase}/ws`, tokenUrl: '/parley-token' };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    }
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  }).listen(port, '127.0.0.1');
}

beforeAll(async () => {
  const port = await freePort();
  siteBase = `http://127.0.0.1:${port}/`;
  relay = await RelayProcess.start(['--token-issue-secret', SECRET, '--allowed-origins', siteBase.slice(0, -1)]);
  site = serveSite(port);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await new Promise((ok) => site?.close(ok));
});

it('connects with a fresh issued token each time, including after a relay restart', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await openChat(context, siteBase, 'c-issued-tokens');
  expect(issued).toBe(1);
  await send(page, 'hello with an issued token');
  await replyDone(page);

  await relay.kill();
  await expect.poll(() => statusText(page)).toContain('Offline');
  await relay.restart();
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('Connected');
  // Single-use: the restarted relay was reached with a token fetched for that attempt.
  expect(issued).toBeGreaterThanOrEqual(2);
  await send(page, 'hello again after the restart');
  // Until the new message shows, the newest one is the first (finished) reply: wait for all four first.
  await expect.poll(() => page.locator('chat-view chat-message').count(), { timeout: 20_000 }).toBe(4);
  await replyDone(page);
  await context.close();
});
