/**
 * Chaos 9: the workspace on three browser profiles. Device A makes three chats; device B, a fresh profile opened
 * with no link, lists them. Both go offline; on each the same chat is renamed differently, chats are pinned and
 * unpinned, one chat is deleted (on B, while A pins and unpins it), and messages are written. They reconnect in
 * either order. Every profile must end with the same workspace records (stamps and all) and the same sidebar, a
 * third fresh profile must show exactly that, the deleted chat must stay deleted everywhere (its link says so,
 * with Restore), and every message written offline must be there once.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { replyDone, send, statusText, waitConnected } from './app-page.ts';
import { newChatId, startChaos, type Chaos } from './fixture.ts';
import { storedMessages } from './observe.ts';
import { deleteChat, goToChat, rename, setPinned, sidebar, storedWorkspace, titles } from './workspace-page.ts';

const data = mkdtempSync(join(tmpdir(), 'parley-chaos-ws-'));
let chaos: Chaos;
beforeAll(async () => {
  chaos = await startChaos(['--data-dir', data]);
});
afterAll(async () => {
  await chaos?.close();
  rmSync(data, { recursive: true, force: true });
});

/** A fresh profile opening the app with no link, wide enough that the sidebar is on screen. */
async function freshDevice(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chaos.browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await page.goto(chaos.relay.base);
  await page.locator('chat-composer textarea').waitFor();
  await waitConnected(page);
  return { context, page };
}

/** Waits until the profiles hold the same workspace with nothing left to send; returns it. */
async function converged(pages: Page[]): Promise<unknown[]> {
  let last: { records: unknown[]; queued: number }[] = [];
  let shown: Awaited<ReturnType<typeof sidebar>>[] = [];
  await expect
    .poll(
      async () => {
        last = await Promise.all(pages.map(storedWorkspace));
        shown = await Promise.all(pages.map(sidebar));
        const same = last.every(
          (w) => JSON.stringify(sorted(w.records)) === JSON.stringify(sorted(last[0]?.records ?? [])),
        );
        const sameList = shown.every((s) => JSON.stringify(s) === JSON.stringify(shown[0]));
        return same && sameList && last.every((w) => w.queued === 0);
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true)
    .catch((err: unknown) => {
      // What each profile held when it gave up: the row a reader needs to see which field diverged.
      console.log(JSON.stringify({ stored: last.map((w) => ({ ...w, records: sorted(w.records) })), shown }, null, 1));
      throw err;
    });
  return sorted(last[0]?.records ?? []);
}

/** Records in one order, each field as [name, value, stamp] by name: the same workspace reads the same. */
const sorted = (records: unknown[]) =>
  records
    .map((r) => {
      const fields: unknown = Reflect.get(Object(r), 'fields');
      const entries = Object.entries(Object(fields)).map(([name, state]) => [
        name,
        Reflect.get(Object(state), 'value'),
        Reflect.get(Object(state), 'at'),
      ]);
      entries.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
      return { chat: String(Reflect.get(Object(r), 'chat')), fields: entries };
    })
    .sort((a, b) => a.chat.localeCompare(b.chat));

/** The user messages of a chat in a profile, once every reply has finished. */
async function asks(page: Page, chatId: string, count: number): Promise<string[]> {
  let texts: string[] = [];
  await expect
    .poll(
      async () => {
        const { messages } = await storedMessages(page, chatId);
        texts = messages.filter((m) => m.role === 'user').map((m) => m.text);
        return messages.length >= count * 2 && messages.every((m) => !m.unsettled);
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true);
  return texts;
}

describe.each([
  ['A first', 0],
  ['B first', 1],
] as const)('9 · workspace offline on two devices, reconnected %s', (order, first) => {
  it(
    'converges on both and on a third fresh profile; the deleted chat stays deleted',
    { timeout: 180_000 },
    async () => {
      const [c1, c2, c3] = [newChatId('ws1'), newChatId('ws2'), newChatId('ws3')];
      const tag = order === 'A first' ? 'a' : 'b';
      const a = await freshDevice();
      for (const [id, text] of [
        [c1, `trip plans ${tag}`],
        [c2, `reading list ${tag}`],
        [c3, `old notes ${tag}`],
      ] as const) {
        await goToChat(a.page, chaos.relay.base, id);
        await send(a.page, text);
        await replyDone(a.page);
      }
      // A fresh profile with no link lists every chat A made.
      const b = await freshDevice();
      await expect
        .poll(() => titles(b.page), { timeout: 20_000 })
        .toEqual(expect.arrayContaining([`trip plans ${tag}`, `reading list ${tag}`, `old notes ${tag}`]));

      await a.context.setOffline(true);
      await b.context.setOffline(true);
      await expect.poll(() => statusText(a.page)).toContain('Offline');
      await expect.poll(() => statusText(b.page)).toContain('Offline');

      await rename(a.page, `trip plans ${tag}`, `Name from A ${tag}`);
      await setPinned(a.page, `reading list ${tag}`, true);
      await setPinned(a.page, `old notes ${tag}`, true);
      await setPinned(a.page, `old notes ${tag}`, false);
      await setPinned(a.page, `old notes ${tag}`, true);
      await goToChat(a.page, chaos.relay.base, c1);
      await send(a.page, 'written offline on A');

      // B acts after A (later stamps): its rename wins, its delete holds against A's pins of that chat.
      await rename(b.page, `trip plans ${tag}`, `Name from B ${tag}`);
      await setPinned(b.page, `Name from B ${tag}`, true);
      await setPinned(b.page, `Name from B ${tag}`, false);
      await setPinned(b.page, `Name from B ${tag}`, true);
      await deleteChat(b.page, `old notes ${tag}`);
      await goToChat(b.page, chaos.relay.base, c2);
      await send(b.page, 'written offline on B');

      const devices = first === 0 ? [a, b] : [b, a];
      await devices[0]?.context.setOffline(false);
      await expect
        .poll(async () => (await storedWorkspace(devices[0]?.page ?? a.page)).queued, { timeout: 30_000 })
        .toBe(0);
      await devices[1]?.context.setOffline(false);
      const workspace = await converged([a.page, b.page]);

      const c = await freshDevice();
      expect(await converged([a.page, b.page, c.page])).toEqual(workspace);
      // Pinned first, then by recency: the relay took last the message of the device that reconnected last.
      const list = (await sidebar(c.page)).filter((x) => [c1, c2, c3].includes(x.id));
      const trip = [c1, `Name from B ${tag}`, true];
      const reading = [c2, `reading list ${tag}`, true];
      expect(list.map((x) => [x.id, x.title, x.pinned])).toEqual(first === 0 ? [reading, trip] : [trip, reading]);
      // Every message written offline reached every profile, once.
      for (const page of [a.page, b.page, c.page]) {
        expect(await asks(page, c1, 2)).toEqual([`trip plans ${tag}`, 'written offline on A']);
        expect(await asks(page, c2, 2)).toEqual([`reading list ${tag}`, 'written offline on B']);
      }
      // The deleted chat's link, on the device that pinned it offline and on the fresh one, says it was deleted.
      for (const page of [a.page, c.page]) {
        await page.goto(`${chaos.relay.base}#/c/${c3}`);
        await expect.poll(() => page.locator('deleted-chat h2').textContent()).toContain('was deleted');
        expect(await storedMessages(page, c3)).toMatchObject({ messages: [] });
      }
      // Restore is a newer write: the chat comes back on every device, whole, from the relay's history.
      await c.page.getByRole('button', { name: 'Restore' }).click();
      for (const page of [a.page, b.page, c.page]) {
        await expect.poll(() => titles(page), { timeout: 20_000 }).toContain(`old notes ${tag}`);
        expect(await asks(page, c3, 1)).toEqual([`old notes ${tag}`]);
      }
      await Promise.all([a, b, c].map((d) => d.context.close()));
    },
  );
});
