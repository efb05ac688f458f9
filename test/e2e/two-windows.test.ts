/**
 * What a person sees: two windows on one chat side by side; one goes offline, writes, comes back, and both
 * converge. With PARLEY_SCREENSHOTS=1 the stages are saved side by side to docs/screenshots/.
 */

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openChat, replyDone, send, statusText } from './chaos/app-page.ts';
import { shownMessages } from './chaos/observe.ts';
import { RelayProcess } from './chaos/relay-process.ts';
import { launchChromium } from './harness.ts';

const SAVE = process.env['PARLEY_SCREENSHOTS'] === '1';
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');
let relay: RelayProcess;
let browser: Browser;

beforeAll(async () => {
  relay = await RelayProcess.start();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await relay?.stop();
});

/** Both windows' screenshots next to each other, composed by the browser itself. */
async function sideBySide(name: string, left: Page, right: Page): Promise<void> {
  if (!SAVE) return;
  const shots = await Promise.all([left, right].map(async (p) => (await p.screenshot()).toString('base64')));
  const canvas = await browser.newPage({ viewport: { width: 1624, height: 916 } });
  await canvas.setContent(
    `<body style="margin:0;background:#64748b;display:flex;gap:8px;padding:8px">${shots
      .map((s) => `<img style="width:800px;height:900px;border-radius:6px" src="data:image/png;base64,${s}">`)
      .join('')}</body>`,
  );
  writeFileSync(resolve(OUT, `${name}.png`), await canvas.screenshot());
  await canvas.close();
}

it('two windows: one goes offline, writes, comes back, and both converge', { timeout: 60_000 }, async () => {
  const viewport = { width: 800, height: 900 };
  const laptopContext = await browser.newContext({ viewport });
  const phoneContext = await browser.newContext({ viewport });
  const chat = 'c-two-windows';
  const left = await openChat(laptopContext, relay.base, chat);
  const right = await openChat(phoneContext, relay.base, chat);
  await send(left, 'Both windows follow this chat.');
  await replyDone(right);

  await laptopContext.setOffline(true);
  await expect.poll(() => statusText(left)).toContain('Offline');
  await send(left, 'Written offline, first.');
  await send(left, 'Written offline, second.');
  await expect.poll(() => statusText(left)).toContain('2 pending');
  await left.locator('chat-view').evaluate((el) => Reflect.apply(Reflect.get(el, 'scrollToLatest'), el, []));
  await sideBySide('sync-1-offline', left, right);
  expect((await shownMessages(right)).length).toBe(2);

  await laptopContext.setOffline(false);
  await expect.poll(() => statusText(left), { timeout: 20_000 }).toContain('Connected');
  const converged = async () => {
    const [a, b] = await Promise.all([shownMessages(left), shownMessages(right)]);
    return a.length === 6 && !a.some((m) => m.unsettled) && JSON.stringify(a) === JSON.stringify(b);
  };
  await expect.poll(converged, { timeout: 30_000 }).toBe(true);
  // Show where the offline messages landed: in both windows, in the same place.
  for (const page of [left, right]) {
    await page
      .locator('chat-message', { hasText: 'Written offline, first.' })
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }
  await sideBySide('sync-2-converged', left, right);
});
