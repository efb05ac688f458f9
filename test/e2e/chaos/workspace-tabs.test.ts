/**
 * Chaos 11: two tabs of one profile, offline. One renames a chat, the other (which learns it over the
 * BroadcastChannel, with no relay) pins it and deletes another; both tabs show every change at once. Back
 * online, the writes of both tabs reach the relay, and a fresh profile shows them all.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyDone, send, statusText, waitConnected } from './app-page.ts';
import { newChatId, startChaos, type Chaos } from './fixture.ts';
import { deleteChat, goToChat, rename, setPinned, sidebar, storedWorkspace, titles } from './workspace-page.ts';

const data = mkdtempSync(join(tmpdir(), 'parley-chaos-ws-tabs-'));
let chaos: Chaos;
beforeAll(async () => {
  chaos = await startChaos(['--data-dir', data]);
});
afterAll(async () => {
  await chaos?.close();
  rmSync(data, { recursive: true, force: true });
});

it(
  '11 · two tabs offline share workspace changes over BroadcastChannel; both reach other devices',
  { timeout: 120_000 },
  async () => {
    const [keep, drop] = [newChatId('tabs1'), newChatId('tabs2')];
    const profile = await chaos.browser.newContext({ viewport: { width: 1200, height: 800 } });
    const one = await profile.newPage();
    for (const [id, text] of [
      [keep, 'tab chat kept'],
      [drop, 'tab chat dropped'],
    ] as const) {
      await goToChat(one, chaos.relay.base, id);
      await send(one, text);
      await replyDone(one);
    }
    const two = await profile.newPage();
    await goToChat(two, chaos.relay.base, keep);
    await waitConnected(two);

    await profile.setOffline(true);
    await expect.poll(() => statusText(two)).toContain('Offline');
    await rename(one, 'tab chat kept', 'Renamed in tab one');
    await expect.poll(() => titles(two)).toContain('Renamed in tab one');
    await setPinned(two, 'Renamed in tab one', true);
    await deleteChat(two, 'tab chat dropped');
    await expect
      .poll(async () => (await sidebar(one)).filter((c) => [keep, drop].includes(c.id)).map((c) => [c.title, c.pinned]))
      .toEqual([['Renamed in tab one', true]]);

    await profile.setOffline(false);
    await expect.poll(async () => (await storedWorkspace(one)).queued, { timeout: 30_000 }).toBe(0);
    const fresh = await chaos.browser.newContext({ viewport: { width: 1200, height: 800 } });
    const other = await fresh.newPage();
    await other.goto(chaos.relay.base);
    await expect
      .poll(
        async () => (await sidebar(other)).filter((c) => [keep, drop].includes(c.id)).map((c) => [c.title, c.pinned]),
        {
          timeout: 20_000,
        },
      )
      .toEqual([['Renamed in tab one', true]]);
    await Promise.all([profile.close(), fresh.close()]);
  },
);
