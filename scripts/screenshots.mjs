// Takes the README screenshots: starts a relay serving dist/, drives a demo chat in headless Chromium, saves PNGs.
// Usage: npm run build && node scripts/screenshots.mjs [basic|rich|features]   (writes docs/screenshots/*.png; all by default)
// "rich" shows issue 5's features, driven from the keyboard where a user would: attached image previews, the
// lightbox, the pinned list, search (Ctrl+K) and the export/import dialog, desktop and phone, light and dark.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { featureScreenshots } from './screenshots-features.mjs';
import { richScreenshots } from './screenshots-rich.mjs';

const OUT = new URL('../docs/screenshots/', import.meta.url);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`relay did not start at ${url}`);
}

async function send(page, text, wait = 'done') {
  const box = page.locator('chat-composer textarea');
  await box.fill(text);
  await box.press('Enter');
  if (wait === 'done') {
    await page.waitForFunction(() => {
      const app = document.querySelector('parley-app');
      const view = app?.shadowRoot?.querySelector('chat-view');
      const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
      const last = list[list.length - 1];
      const m = last && 'message' in last ? last.message : undefined;
      return m && typeof m === 'object' && m.role === 'assistant' && m.state !== 'streaming';
    });
  }
}

const port = await freePort();
const relay = spawn(
  process.execPath,
  ['build/relay/main.node.js', '--port', String(port), '--static', 'dist', '--demo-delay-ms', '2'],
  {
    stdio: 'ignore',
  },
);
const base = `http://127.0.0.1:${port}/`;
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const which = process.argv[2] ?? 'all';
try {
  await waitFor(`${base}healthz`);
  if (which === 'all' || which === 'basic') await basic();
  if (which === 'all' || which === 'rich') await richScreenshots(browser, base, OUT, send);
  if (which === 'all' || which === 'features') await featureScreenshots(browser, base, OUT, send);
  console.log(`screenshots written to ${OUT.pathname}`);
} finally {
  await browser.close();
  relay.kill();
}

async function basic() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('chat-composer textarea').waitFor();
  await page.screenshot({ path: new URL('desktop-empty-light.png', OUT).pathname });
  await send(page, 'Show me what you can do');
  await send(page, '/tool');
  await send(page, '/tour');
  await page.waitForTimeout(300);
  // A second chat, so the sidebar has something to show.
  for (const theme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: new URL(`desktop-${theme}.png`, OUT).pathname });
  }
  const href = page.url();
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const p2 = await phone.newPage();
  await p2.goto(href);
  await p2.locator('chat-composer textarea').waitFor();
  await p2.waitForTimeout(800);
  for (const theme of ['light', 'dark']) {
    await p2.emulateMedia({ colorScheme: theme });
    await p2.waitForTimeout(150);
    await p2.screenshot({ path: new URL(`phone-${theme}.png`, OUT).pathname });
  }
  await p2.locator('parley-app header button.menu').click();
  await p2.waitForTimeout(400);
  await p2.screenshot({ path: new URL('phone-drawer-dark.png', OUT).pathname });
  await context.close();
  await phone.close();
}
