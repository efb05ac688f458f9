/** Deleting a message or a chat offers Undo for a few seconds; undone, it is back and stays after a reload. */

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openChat, replyDone, send } from './chaos/app-page.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
const messages = () => page.locator('chat-view chat-message');
const chats = () => page.locator('session-list .title');

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

it('undoes deleting a message and deleting a chat', async () => {
  page = await openChat(await h.browser.newContext({ viewport: { width: 1200, height: 800 } }), h.base, 'c-undo');
  await send(page, 'please keep this');
  await replyDone(page);
  await messages().first().hover();
  await messages().first().getByRole('button', { name: 'Delete message' }).click();
  await expect.poll(() => messages().count()).toBe(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => messages().count()).toBe(2);
  await page.reload();
  await expect.poll(() => messages().count()).toBe(2);
  expect(
    await messages()
      .first()
      .evaluate((el) => el.shadowRoot?.textContent ?? ''),
  ).toContain('please keep this');

  // The demo agent named the chat after its reply (issue 17).
  const title = 'Demo: please keep this';
  await page.getByRole('button', { name: `Delete ${title}` }).click();
  await page.getByRole('alertdialog', { name: 'Delete chat' }).getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => chats().allTextContents()).not.toContain(title);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => chats().allTextContents()).toContain(title);
  await page.reload();
  await expect.poll(() => chats().allTextContents()).toContain(title);
  await expect.poll(() => messages().count()).toBe(2);
});
