/** Regenerate keeps the question as it was (pin, place, time) and every device shows it once, with only the new reply. */

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openChat, replyDone, send } from './chaos/app-page.ts';
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

interface Row {
  id: string;
  role: string;
  text: string;
  created_at: number;
  pinned: boolean;
}

/** Each shown message: its id, role, text and time as the element holds them, and whether it shows as pinned. */
function rows(page: Page): Promise<Row[]> {
  return page.evaluate(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    return Array.from(view?.shadowRoot?.querySelectorAll('chat-message') ?? [], (el) => {
      const m: unknown = Reflect.get(el, 'message');
      const get = (k: string): unknown => (typeof m === 'object' && m !== null ? Reflect.get(m, k) : undefined);
      return {
        id: String(get('id')),
        role: String(get('role')),
        text: String(get('text')),
        created_at: Number(get('created_at')),
        pinned: el.shadowRoot?.querySelector('button[aria-label="Unpin message"]') != null,
      };
    });
  });
}

const messages = (page: Page) => page.locator('chat-view chat-message');

it('regenerating the last reply keeps the pinned question in place, and a second device shows no doubles', async () => {
  const chat = 'c-regenerate';
  const laptop = await openChat(await browser.newContext(), relay.base, chat);
  await send(laptop, 'first question');
  await replyDone(laptop);
  await send(laptop, 'second question');
  await replyDone(laptop);
  await messages(laptop).nth(2).hover();
  await messages(laptop).nth(2).getByRole('button', { name: 'Pin message' }).click();
  await expect.poll(async () => (await rows(laptop))[2]?.pinned).toBe(true);
  const before = await rows(laptop);

  await messages(laptop).last().hover();
  await messages(laptop).last().getByRole('button', { name: 'Regenerate reply' }).click();
  await expect.poll(async () => (await rows(laptop)).at(-1)?.id).not.toBe(before[3]?.id);
  await replyDone(laptop);
  const after = await rows(laptop);
  // The questions are the same messages, at the same time and place; the pin stays.
  expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
  expect(after.map((r) => r.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

  // Another device opening the chat from its link replays it: the question once, and only the new reply.
  const phone = await openChat(await browser.newContext(), relay.base, chat);
  const newest = after[3]?.id;
  await expect.poll(async () => (await rows(phone)).some((r) => r.id === newest)).toBe(true);
  await replyDone(phone);
  const seen = (await rows(phone)).map(({ id, role, text }) => ({ id, role, text }));
  expect(seen).toEqual(after.map(({ id, role, text }) => ({ id, role, text })));
});
