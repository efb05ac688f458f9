/**
 * A message the relay refuses (here: longer than this relay's --max-text-chars) is not silently dropped:
 * every tab shows it as not sent, with the relay's reason, "Send again" and "Delete".
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openChat, replyDone, send } from './chaos/app-page.ts';
import { RelayProcess } from './chaos/relay-process.ts';
import { shownMessages, storedMessages } from './chaos/observe.ts';
import { launchChromium } from './harness.ts';

let relay: RelayProcess;
let browser: Browser;

beforeAll(async () => {
  relay = await RelayProcess.start(['--max-text-chars', '40']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
});

const failure = (page: Page) => page.locator('chat-message [role="alert"]');

it('shows why a message was refused, and lets the user send it again or delete it', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const tab = await openChat(context, relay.base, 'c-refused');
  const other = await openChat(context, relay.base, 'c-refused');
  const tooLong = 'This message is longer than the forty characters this relay takes.';

  await send(tab, tooLong);
  await expect.poll(() => failure(tab).textContent()).toMatch(/Not sent: .*40/);
  await expect.poll(() => failure(other).count()).toBe(1);

  await failure(tab).getByRole('button', { name: 'Send again' }).click();
  await expect.poll(() => failure(tab).textContent()).toMatch(/Not sent/);
  expect((await shownMessages(tab)).map((m) => m.text)).toEqual([tooLong]);

  await failure(tab).getByRole('button', { name: 'Delete' }).click();
  await expect.poll(async () => (await shownMessages(other)).length).toBe(0);
  expect((await storedMessages(tab, 'c-refused')).messages).toEqual([]);

  await send(tab, 'short enough');
  await replyDone(other);
  expect((await shownMessages(other)).map((m) => m.role)).toEqual(['user', 'assistant']);
  await context.close();
});
