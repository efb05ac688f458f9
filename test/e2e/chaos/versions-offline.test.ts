/**
 * Chaos 10: versions written offline on two browser profiles, against a relay keeping its data dir. Device A
 * regenerates a reply while offline; device B, offline too, edits the question that reply answered and deletes the
 * first reply. They reconnect in either order. Both must end showing the same messages, versions and branch, a
 * third fresh profile opening the link must show exactly that, the deleted reply must be nowhere, and each
 * version written offline must be there once.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openChat, replyDone, send, statusText } from './app-page.ts';
import { newChatId, startChaos, type Chaos } from './fixture.ts';
import { storedMessages } from './observe.ts';
import { editAndResend, shownIds, stepVersion, versionRows, type VersionRow } from './versions-page.ts';

const data = mkdtempSync(join(tmpdir(), 'parley-chaos-versions-'));
let chaos: Chaos;
beforeAll(async () => {
  chaos = await startChaos(['--data-dir', data]);
});
afterAll(async () => {
  await chaos?.close();
  rmSync(data, { recursive: true, force: true });
});

/** True when the page has nothing left to send and its shown branch ends in a finished reply. */
async function settled(page: Page): Promise<boolean> {
  const rows = await versionRows(page);
  const busy = await page.evaluate(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    return Array.from(view?.shadowRoot?.querySelectorAll('chat-message') ?? []).some(
      (el) => el.shadowRoot?.querySelector('article[aria-busy="true"]') != null,
    );
  });
  return !busy && rows.at(-1)?.role === 'assistant' && !(await statusText(page)).includes('pending');
}

/** Waits until every page shows the same rows, each branch ending in a finished reply; returns them. */
async function converged(pages: Page[]): Promise<VersionRow[]> {
  let seen: VersionRow[][] = [];
  await expect
    .poll(
      async () => {
        seen = await Promise.all(pages.map(versionRows));
        const same = seen.every((r) => JSON.stringify(r) === JSON.stringify(seen[0]));
        return same && (await Promise.all(pages.map(settled))).every(Boolean);
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true)
    .catch((err: unknown) => {
      console.log(JSON.stringify(seen, null, 1));
      throw err;
    });
  return seen[0] ?? [];
}

describe('chaos: versions written offline on two devices', () => {
  for (const first of [0, 1] as const) {
    it(`converges whichever device reconnects first (${first === 0 ? 'A' : 'B'} first)`, async () => {
      const chat = newChatId('versions');
      const a = await openChat(await chaos.device(), chaos.relay.base, chat);
      await send(a, 'plan a weekend');
      await replyDone(a);
      const [question, reply] = await shownIds(a);
      const b = await openChat(await chaos.device(), chaos.relay.base, chat);
      await expect.poll(() => shownIds(b), { timeout: 15_000 }).toEqual([question, reply]);
      await replyDone(b);

      await a.context().setOffline(true);
      await b.context().setOffline(true);
      await expect.poll(() => statusText(a)).toContain('Offline');
      await expect.poll(() => statusText(b)).toContain('Offline');

      // A: regenerate the reply (queued: nothing runs until the relay has it).
      const last = a.locator('chat-view chat-message').last();
      await last.hover();
      await last.getByRole('button', { name: 'Regenerate reply' }).click();
      // B: edit the question (a new version, shown at once), then go back and delete the first reply.
      await editAndResend(b, 0, 'plan a weekend by the sea');
      await expect.poll(async () => (await versionRows(b))[0]?.version).toBe('2 / 2');
      await stepVersion(b, 0, 'Previous version');
      await expect.poll(() => shownIds(b)).toEqual([question, reply]);
      const old = b.locator('chat-view chat-message').nth(1);
      await old.hover();
      await old.getByRole('button', { name: 'Delete message' }).click();
      await expect.poll(() => shownIds(b)).toEqual([question]);

      const order = first === 0 ? [a, b] : [b, a];
      await order[0]?.context().setOffline(false);
      await expect.poll(() => statusText(order[0] ?? a), { timeout: 20_000 }).toContain('Connected');
      await order[1]?.context().setOffline(false);
      // B chose the old question to delete under it; a choice lasts as long as its tab, so B opens the chat afresh.
      await expect.poll(() => statusText(b), { timeout: 20_000 }).toContain('Connected');
      await b.reload();
      await b.locator('chat-composer textarea').waitFor();
      const rows = await converged([a, b]);

      const c = await openChat(await chaos.device(), chaos.relay.base, chat);
      expect(await converged([a, b, c])).toEqual(rows);
      // The deleted reply is nowhere, on any version of the question.
      for (const page of [a, b, c]) {
        await stepVersion(page, 0, rows[0]?.version === '1 / 2' ? 'Next version' : 'Previous version');
      }
      const other = await converged([a, b, c]);
      const everything = [...rows, ...other];
      expect(everything.map((r) => r.id)).not.toContain(reply);
      // Hidden is not enough (the regenerated reply is a version of it): every profile's store must lack it too,
      // once B's queued delete has waited out its undo window and reached the relay.
      for (const page of [a, b, c]) {
        await expect.poll(async () => (await storedMessages(page, chat)).ids, { timeout: 20_000 }).not.toContain(reply);
      }
      expect((await storedMessages(c, chat)).messages).toHaveLength(4);
      // Each version once: the question, its edit, the edit's reply and the regenerated reply.
      const texts = everything.filter((r) => r.role === 'user').map((r) => r.text);
      expect(texts.sort()).toEqual(['plan a weekend', 'plan a weekend by the sea']);
      expect(everything.filter((r) => r.role === 'assistant')).toHaveLength(2);
      expect(new Set(everything.map((r) => r.id)).size).toBe(everything.length);
      await Promise.all([a, b, c].map((p) => p.context().close()));
    });
  }
});
