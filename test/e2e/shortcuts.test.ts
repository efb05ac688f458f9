/**
 * Keyboard shortcuts end to end, in the relay-served app under its CSP: `?` lists them (and types in the message
 * field), Alt+Shift+N starts a chat, Alt+↑/↓ walk the list, `/` focuses the message field, Ctrl+K searches and
 * Esc stops a reply — every step from the keyboard alone, with no violation.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let context: BrowserContext;
let page: Page;

const violations = (): Promise<string[]> => page.evaluate(() => [...(Reflect.get(window, '__csp') as string[])]);
const chatId = () => page.evaluate(() => location.hash.replace('#/c/', ''));
const textarea = () => page.locator('chat-composer textarea');
/** The element focused, inside shadow roots: its tag. */
const focusedTag = () =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.localName ?? '';
  });

/** Leaves every field, as a click on an empty part of the page would. */
const blur = () =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (el instanceof HTMLElement) el.blur();
  });

async function replyFinished(): Promise<void> {
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    return list[list.length - 1]?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

async function sendFromKeyboard(text: string): Promise<void> {
  await page.keyboard.press('/');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await replyFinished();
}

beforeAll(async () => {
  h = await startHarness();
  context = await h.browser.newContext({ viewport: { width: 1000, height: 800 } });
  await context.addInitScript(() => {
    const seen: string[] = [];
    Reflect.set(window, '__csp', seen);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  page = await context.newPage();
  await page.goto(h.base);
  await textarea().waitFor();
});

afterAll(async () => {
  await h?.close();
});

describe('keyboard shortcuts', { timeout: 60_000 }, () => {
  it('types ? in the message field, and opens the list of shortcuts from anywhere else', async () => {
    await textarea().focus();
    await page.keyboard.type('why?');
    expect(await textarea().inputValue()).toBe('why?');
    await textarea().fill('');
    await blur();
    await page.keyboard.press('?');
    const dialog = page.locator('shortcuts-dialog dialog[open]');
    await dialog.waitFor();
    expect(await dialog.locator('tr[data-shortcut="new-chat"] td').textContent()).toBe('New chat');
    expect(await dialog.locator('tr').count()).toBe(14);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('focuses the message field with /, starts chats with Alt+Shift+N and walks them with Alt+↑/↓', async () => {
    await blur();
    await sendFromKeyboard('first chat');
    const first = await chatId();
    await page.keyboard.press('Alt+Shift+N');
    await expect.poll(chatId).not.toBe(first);
    // A new chat puts the caret in its message field, where / is typed: leave it first, as a person would.
    await blur();
    await sendFromKeyboard('second chat');
    const second = await chatId();
    // Works from inside the message field too: the sidebar lists the newest first.
    expect(await focusedTag()).toBe('textarea');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(chatId).toBe(first);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(chatId).toBe(second);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(chatId).toBe(first);
  });

  it('opens search with Ctrl+K and stops a reply with Esc', async () => {
    await page.keyboard.press('Control+k');
    const search = page.locator('search-dialog dialog[open]');
    await search.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => search.count()).toBe(0);
    await page.keyboard.press('/');
    await page.keyboard.type('/slow');
    await page.keyboard.press('Enter');
    await page.locator('chat-composer button[aria-label^="Stop"]').waitFor();
    await page.keyboard.press('Escape');
    await replyFinished();
    const status = await page
      .locator('chat-view chat-message')
      .last()
      .evaluate((m) => m.shadowRoot?.querySelector('.meta')?.textContent ?? '');
    expect(status).toMatch(/stopped/i);
    expect(await violations()).toEqual([]);
  });
});
