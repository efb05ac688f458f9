/** Drives the Parley app in one tab the way a person does: open a chat by its link, type, press Enter, watch. */

import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

/** Opens the chat's link in a new tab of `context` and waits until the app is connected. */
export async function openChat(context: BrowserContext, base: string, chatId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}#/c/${chatId}`);
  await page.locator('chat-composer textarea').waitFor();
  await waitConnected(page);
  return page;
}

export async function waitConnected(page: Page): Promise<void> {
  await expect.poll(() => statusText(page), { timeout: 20_000 }).toContain('Connected');
}

/** Types a message and presses Enter; resolves once the keypress was handled by the page. */
/** Types and sends a message, returning once it shows (so a later `replyDone` waits for its reply, not the last one). */
export async function send(page: Page, text: string): Promise<void> {
  const messages = page.locator('chat-view chat-message');
  const before = await messages.count();
  const composer = page.locator('chat-composer textarea');
  await composer.fill(text);
  await composer.press('Enter');
  await page.waitForFunction((n) => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    return (view?.shadowRoot?.querySelectorAll('chat-message').length ?? 0) > n;
  }, before);
}

export function statusText(page: Page): Promise<string> {
  return page.locator('connection-status button').evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '');
}

/** How much of the newest reply has arrived, and whether it is still streaming. */
export function lastReply(page: Page): Promise<{ chars: number; streaming: boolean }> {
  return page.evaluate(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    const last = list[list.length - 1]?.shadowRoot;
    const article = last?.querySelector('article.assistant');
    const md = last?.querySelector('markdown-view')?.shadowRoot?.querySelector('.md');
    return {
      chars: article ? (md?.textContent?.length ?? 0) : 0,
      streaming: article?.getAttribute('aria-busy') === 'true',
    };
  });
}

/** Waits until a reply is streaming and has at least `chars` characters on screen. */
export async function midStream(page: Page, chars: number): Promise<void> {
  await page.waitForFunction((min) => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    return Array.from(list).some((el) => {
      const busy = el.shadowRoot?.querySelector('article.assistant[aria-busy="true"]');
      const md = el.shadowRoot?.querySelector('markdown-view')?.shadowRoot?.querySelector('.md');
      return busy != null && (md?.textContent?.length ?? 0) >= min;
    });
  }, chars);
}

/** The app in the service worker's hands, so a reload works with the network off. */
export async function waitServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
}

/** Waits until the newest message is a reply that has finished. */
export async function replyDone(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    const last = list[list.length - 1]?.shadowRoot;
    return last?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}
