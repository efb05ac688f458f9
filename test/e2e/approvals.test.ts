/**
 * A tool approval in real Chromium: shown in two tabs, approved (by keyboard) in one, shown answered in the other
 * and after a reload; a question's form checked before it is sent. PARLEY_SCREENSHOTS=1 saves desktop and phone
 * shots to docs/screenshots/.
 */

import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openChat, replyDone, send, statusText, waitServiceWorker } from './chaos/app-page.ts';
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

async function shot(page: Page, name: string): Promise<void> {
  if (!SAVE) return;
  await page.locator('chat-view').evaluate((el) => Reflect.apply(Reflect.get(el, 'scrollToLatest'), el, []));
  await page.screenshot({ path: resolve(OUT, `${name}.png`) });
}

/** The text of the newest message, inside every shadow root it holds (markdown, tool blocks). */
function lastMessageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    const deep = (node: Node): string =>
      node instanceof Element && node.shadowRoot
        ? deep(node.shadowRoot)
        : node.nodeType === Node.TEXT_NODE
          ? (node.textContent ?? '')
          : Array.from(node.childNodes, deep).join('');
    const last = list[list.length - 1];
    return last ? deep(last) : '';
  });
}

/** The status line of the newest approval card ('' while it waits for an answer). */
function cardStatus(page: Page): Promise<string> {
  return page
    .locator('approval-card')
    .last()
    .evaluate((el) => el.shadowRoot?.querySelector('.status')?.textContent?.replace(/\s+/g, ' ').trim() ?? '');
}

it(
  'an approval shown in two tabs is answered once, in one, and shows answered in the other and after reload',
  { timeout: 60_000 },
  async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const chat = 'c-approval';
    const left = await openChat(context, relay.base, chat);
    const right = await openChat(context, relay.base, chat);
    await send(left, '/approve');
    for (const tab of [left, right]) await tab.locator('approval-card button.primary').waitFor();
    expect(await cardStatus(right)).toBe('');
    await shot(left, 'hitl-approval-pending-desktop');

    // Keyboard only: Tab to "Allow once" is the user's way; focusing it and pressing Enter is the same event path.
    const allow = right.locator('approval-card button.primary');
    await allow.focus();
    await right.keyboard.press('Enter');
    await expect.poll(() => cardStatus(left), { timeout: 20_000 }).toMatch(/^Allowed once from Chrome on Linux at /);
    expect(await cardStatus(right)).toMatch(/^Allowed once from Chrome on Linux/);
    // The other tab can no longer answer: its buttons are gone.
    expect(await left.locator('approval-card button.primary').count()).toBe(0);
    // The answer started the continuation, which ran the tool.
    await expect.poll(() => lastMessageText(left)).toContain('removed 12 files');
    await replyDone(left);
    await shot(left, 'hitl-approval-answered-desktop');

    await left.reload();
    await left.locator('approval-card').waitFor();
    await expect.poll(() => cardStatus(left)).toMatch(/^Allowed once from Chrome on Linux/);
    await context.close();
  },
);

it('a denial with a reason goes back to the agent; on a phone the card fits', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await openChat(context, relay.base, 'c-deny');
  await send(page, '/approve');
  await page.locator('approval-card button.danger').waitFor();
  await shot(page, 'hitl-approval-pending-phone');
  await page.locator('approval-card button.danger').click();
  const reason = page.locator('approval-card textarea');
  // Opening "Deny…" moves focus into the reason box.
  await expect.poll(() => reason.evaluate((el) => el.matches(':focus'))).toBe(true);
  await reason.fill('not on this machine');
  await reason.press('Enter');
  await expect.poll(() => cardStatus(page), { timeout: 20_000 }).toMatch(/^Denied: not on this machine from /);
  await expect.poll(() => lastMessageText(page)).toContain('I did not run');
  await replyDone(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, 'hitl-approval-denied-phone');
  await context.close();
});

it(
  'a question form refuses a missing answer in place, then sends what was filled in',
  { timeout: 60_000 },
  async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await openChat(context, relay.base, 'c-ask');
    await send(page, '/ask');
    const form = page.locator('question-form');
    await form.locator('button[type="submit"]').waitFor();
    await shot(page, 'hitl-question-pending-desktop');
    await form.locator('button[type="submit"]').click();
    // Name is required: the field says so, is marked invalid and gets the focus; nothing was sent.
    const name = form.locator('input[data-key="name"]');
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => name.evaluate((el) => el.matches(':focus'))).toBe(true);
    await shot(page, 'hitl-question-invalid-desktop');
    await name.fill('Ada');
    await form.locator('label:has-text("museums") input').check();
    await form.locator('select[data-key="pace"]').selectOption('packed');
    await form.locator('button[type="submit"]').click();
    await expect
      .poll(() => lastMessageText(page), {
        timeout: 20_000,
      })
      .toContain('Here is what I got');
    await replyDone(page);
    const answered = await form.evaluate((el) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '');
    expect(answered).toContain('Your name Ada');
    expect(answered).toContain('Interests museums');
    await shot(page, 'hitl-question-answered-desktop');
    await context.close();
  },
);

it(
  'an answer given offline waits in the outbox, through a reload, and is sent when the network returns',
  { timeout: 90_000 },
  async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await openChat(context, relay.base, 'c-offline-answer');
    await waitServiceWorker(page);
    await send(page, '/approve');
    await page.locator('approval-card button.primary').waitFor();
    await context.setOffline(true);
    await expect.poll(() => statusText(page)).toContain('Offline');
    await page.locator('approval-card button.primary').click();
    await expect.poll(() => cardStatus(page)).toBe('Allowed once sending — queued while offline');
    await expect.poll(() => statusText(page)).toContain('1 pending');
    await page.reload();
    await page.locator('approval-card').waitFor();
    // After the reload the card still shows the answer waiting, from the outbox, not the buttons again.
    await expect.poll(() => cardStatus(page)).toBe('Allowed once sending — queued while offline');
    expect(await page.locator('approval-card button.primary').count()).toBe(0);
    await shot(page, 'hitl-approval-queued-desktop');
    await context.setOffline(false);
    await expect.poll(() => cardStatus(page), { timeout: 30_000 }).toMatch(/^Allowed once from Chrome on Linux/);
    await expect.poll(() => lastMessageText(page), { timeout: 20_000 }).toContain('removed 12 files');
    await context.close();
  },
);
