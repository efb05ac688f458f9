/**
 * Chaos 12: message pins travel with the workspace. A device pins a message while offline; once it is back, a
 * fresh profile opening the chat shows it pinned (the header's pinned list counts it); unpinned there, it is
 * unpinned on the first device too.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { replyDone, send, statusText, waitConnected } from './app-page.ts';
import { newChatId, startChaos, type Chaos } from './fixture.ts';
import { goToChat, storedWorkspace } from './workspace-page.ts';

const data = mkdtempSync(join(tmpdir(), 'parley-chaos-ws-pins-'));
let chaos: Chaos;
beforeAll(async () => {
  chaos = await startChaos(['--data-dir', data]);
});
afterAll(async () => {
  await chaos?.close();
  rmSync(data, { recursive: true, force: true });
});

/** How many messages the header counts as pinned ("Pinned messages (N)"; no button when none). */
async function pinnedCount(page: Page): Promise<number> {
  const label = await page
    .locator('header button.pins')
    .getAttribute('aria-label', { timeout: 500 })
    .catch(() => null);
  return Number(/\((\d+)\)/.exec(label ?? '')?.[1] ?? 0);
}

it(
  '12 · a message pinned offline on one device is pinned on a fresh one, and unpinned back',
  { timeout: 120_000 },
  async () => {
    const chat = newChatId('pins');
    const one = await chaos.browser.newContext({ viewport: { width: 1200, height: 800 } });
    const a = await one.newPage();
    await goToChat(a, chaos.relay.base, chat);
    await waitConnected(a);
    await send(a, 'pin me later');
    await replyDone(a);
    await one.setOffline(true);
    await expect.poll(() => statusText(a)).toContain('Offline');
    await a.locator('chat-message').first().hover();
    await a.locator('chat-message').first().getByRole('button', { name: 'Pin message' }).click();
    await expect.poll(() => pinnedCount(a)).toBe(1);
    await one.setOffline(false);
    await expect.poll(async () => (await storedWorkspace(a)).queued, { timeout: 30_000 }).toBe(0);

    const two = await chaos.browser.newContext({ viewport: { width: 1200, height: 800 } });
    const b = await two.newPage();
    await goToChat(b, chaos.relay.base, chat);
    await waitConnected(b);
    await expect.poll(() => pinnedCount(b), { timeout: 20_000 }).toBe(1);
    const pinned = b.locator('chat-message').first().getByRole('button', { name: 'Unpin message' });
    await b.locator('chat-message').first().hover();
    await pinned.click();
    await expect.poll(() => pinnedCount(b)).toBe(0);
    await expect.poll(() => pinnedCount(a), { timeout: 20_000 }).toBe(0);
    await Promise.all([one.close(), two.close()]);
  },
);
