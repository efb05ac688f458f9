/**
 * Changes the relay never sees reach the other tabs of the profile over BroadcastChannel: a new chat,
 * a pinned message, a deleted message, a draft.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openChat, replyDone, send } from './chaos/app-page.ts';
import { shownMessages } from './chaos/observe.ts';
import { RelayProcess } from './chaos/relay-process.ts';
import { launchChromium } from './harness.ts';

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

const titles = (page: Page) => page.locator('session-list .title').allTextContents();

it('a new chat, a pin, a deletion and a draft made in one tab show in the other', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const one = await openChat(context, relay.base, 'c-local-first');
  const two = await openChat(context, relay.base, 'c-local-first');

  await one.locator('session-list').getByRole('button', { name: 'New chat' }).click();
  await send(one, 'a chat started in tab one');
  await expect.poll(() => titles(two)).toContain('a chat started in tab one');
  const chatUrl = one.url();
  await two.goto(chatUrl);
  await replyDone(two);

  // Keyboard, as the message actions are reachable without a mouse.
  await one.locator('chat-message').first().getByRole('button', { name: 'Pin message' }).press('Enter');
  await expect
    .poll(() => two.locator('chat-message').first().getByRole('button', { name: 'Unpin message' }).count())
    .toBe(1);

  await one.locator('chat-message').last().getByRole('button', { name: 'Delete message' }).press('Enter');
  await expect.poll(async () => (await shownMessages(two)).map((m) => m.role)).toEqual(['user']);

  await one.locator('chat-composer textarea').fill('half a thought');
  await expect.poll(() => two.locator('chat-composer textarea').inputValue()).toBe('half a thought');
  await context.close();
});
