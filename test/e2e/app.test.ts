/** The PWA end to end: real relay + demo agent, real Chromium, the built app with its service worker. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let context: BrowserContext;
let page: Page;

const composer = () => page.locator('chat-composer textarea');
const messages = () => page.locator('chat-view chat-message');
const lastMessage = () => messages().last();

/** Text as a reader sees it: through shadow roots, which textContent does not enter. */
function shown(locator: Locator): Promise<string> {
  return locator.evaluate((root) => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
      const el = node instanceof Element ? node : undefined;
      const kids = el?.shadowRoot ? el.shadowRoot.childNodes : node.childNodes;
      return Array.from(kids, walk).join('');
    };
    return walk(root).replace(/\s+/g, ' ');
  });
}

async function send(text: string): Promise<void> {
  await composer().fill(text);
  await composer().press('Enter');
}

/** Waits until the newest message is a finished assistant reply. */
async function replyFinished(): Promise<void> {
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    const last = list[list.length - 1];
    return last?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

beforeAll(async () => {
  h = await startHarness();
  context = await h.browser.newContext({ viewport: { width: 1200, height: 800 } });
  page = await context.newPage();
  await page.goto(h.base);
  await composer().waitFor();
});

afterAll(async () => {
  await h?.close();
});

describe('Parley in the browser', () => {
  it('connects to the relay served from the same origin without any configuration', async () => {
    await expect.poll(() => shown(page.locator('connection-status button'))).toContain('Connected');
    expect(await shown(page.locator('empty-state'))).toContain('/reasoning');
  });

  it('sends a message and renders the streamed reply as markdown', async () => {
    await send('Hello from the end-to-end test');
    await replyFinished();
    const reply = lastMessage().locator('markdown-view');
    expect(await reply.locator('h3').first().textContent()).toBe('You said');
    expect(await reply.locator('table td').first().textContent()).toBe('words');
    expect(await reply.locator('.code .tok-keyword').first().textContent()).toBe('const');
    expect(await reply.locator('button.copy').count()).toBe(1);
    expect(await shown(messages().first())).toContain('Hello from the end-to-end test');
    // The demo agent names the chat after its first reply (issue 17): its title replaces the first message's.
    await expect
      .poll(() => page.locator('session-list .title').first().textContent())
      .toBe('Demo: Hello from the end-to-end test');
  });

  it('stops a slow reply with the stop button', async () => {
    await send('/slow');
    const stop = page.locator('chat-composer button.stop');
    await stop.waitFor();
    await expect.poll(() => lastMessage().locator('markdown-view').count()).toBe(1);
    await stop.click();
    await replyFinished();
    expect(await lastMessage().locator('.badge').allTextContents()).toContain('Stopped');
    expect(await page.locator('chat-composer button.stop').count()).toBe(0);
  });

  it('keeps the history across a reload', async () => {
    const before = await messages().count();
    await page.reload();
    await composer().waitFor();
    await expect.poll(() => messages().count()).toBe(before);
    expect(await shown(messages().first())).toContain('Hello from the end-to-end test');
    expect(await page.locator('chat-message markdown-view h3').first().textContent()).toBe('You said');
  });

  it('shows the same chat live in a second tab, with renames synced across tabs', async () => {
    const other = await context.newPage();
    await other.goto(page.url());
    await other.locator('chat-composer textarea').waitFor();
    const before = await messages().count();
    await expect.poll(() => other.locator('chat-view chat-message').count()).toBe(before);
    await send('seen in both tabs');
    await replyFinished();
    await expect.poll(() => other.locator('chat-view chat-message').count()).toBe(before + 2);
    expect(await shown(other.locator('chat-view chat-message').nth(before))).toContain('seen in both tabs');

    await page.locator('session-list button[aria-label^="Rename"]').first().click();
    await page.locator('session-list form input').fill('Renamed in tab one');
    await page.locator('session-list form input').press('Enter');
    await expect.poll(() => other.locator('session-list .title').first().textContent()).toBe('Renamed in tab one');
    await other.close();
  });

  it('opens offline from the service worker with its history, and sends what was written offline on return', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const before = await messages().count();
    await context.setOffline(true);
    await page.reload();
    await composer().waitFor();
    await expect.poll(() => messages().count()).toBe(before);
    await expect.poll(() => shown(page.locator('connection-status button'))).toContain('Offline');

    await send('written while offline');
    await expect.poll(() => shown(lastMessage())).toContain('Queued');
    expect(await shown(page.locator('connection-status button'))).toContain('1 pending');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect
      .poll(() => shown(page.locator('connection-status button')), { timeout: 15_000 })
      .toContain('Connected');
    await replyFinished();
    const offlineMessage = messages().nth(before);
    expect(await shown(offlineMessage)).toContain('written while offline');
    expect(await shown(offlineMessage)).not.toContain('Queued');
    expect(await shown(page.locator('connection-status button'))).not.toContain('pending');
  });

  it('offers a new version when one is deployed, and reloads into it', async () => {
    h.deployNewBuild('e2e-2');
    await page.reload();
    await composer().waitFor();
    const toast = page.locator('update-toast');
    await toast.waitFor({ timeout: 20_000 });
    expect(await shown(toast)).toContain('new version');
    expect(await page.locator('meta[name="parley-build"]').count()).toBe(0);
    await Promise.all([page.waitForEvent('load'), toast.locator('button').click()]);
    await composer().waitFor();
    await expect.poll(() => page.locator('meta[name="parley-build"]').getAttribute('content')).toBe('e2e-2');
    expect(await page.locator('update-toast').count()).toBe(0);
    expect(await messages().count()).toBeGreaterThan(0);
  });
});
