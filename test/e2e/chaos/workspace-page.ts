/** Drives and reads the workspace in one tab: the sidebar's chats as shown, the profile's stored records, and the list's own buttons. */

import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export interface ShownChat {
  id: string;
  title: string;
  pinned: boolean;
}

/** The chats the sidebar lists, top to bottom. */
export function sidebar(page: Page): Promise<ShownChat[]> {
  return page.evaluate(() => {
    const list = document.querySelector('parley-app')?.shadowRoot?.querySelector('session-list')?.shadowRoot;
    return Array.from(list?.querySelectorAll('li') ?? [], (li) => ({
      id: (li.querySelector('a')?.getAttribute('href') ?? '').replace('#/c/', ''),
      title: li.querySelector('.title')?.textContent?.trim() ?? '',
      pinned: li.querySelector('button[aria-pressed]')?.getAttribute('aria-pressed') === 'true',
    }));
  });
}

/** The profile's workspace records, stamps and all, sorted by chat: equal on two profiles means converged. */
export function storedWorkspace(page: Page): Promise<{ records: unknown[]; queued: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('parley');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const read = (req: IDBRequest<unknown[]>) =>
      new Promise<unknown[]>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const tx = db.transaction(['workspace', 'outbox'], 'readonly');
    const records = await read(tx.objectStore('workspace').getAll());
    const outbox = await read(tx.objectStore('outbox').getAll());
    db.close();
    return { records, queued: outbox.length };
  });
}

/** Opens a chat in the tab (a hash change: the app stays loaded, offline too). */
export async function goToChat(page: Page, base: string, chatId: string): Promise<void> {
  await page.goto(`${base}#/c/${chatId}`);
  await page.locator('chat-composer textarea').waitFor();
}

export async function rename(page: Page, title: string, to: string): Promise<void> {
  await page.getByRole('button', { name: `Rename ${title}`, exact: true }).click();
  const input = page.getByRole('textbox', { name: 'New title' });
  await input.fill(to);
  await input.press('Enter');
  await expect.poll(() => titles(page)).toContain(to);
}

export async function setPinned(page: Page, title: string, pinned: boolean): Promise<void> {
  await page.getByRole('button', { name: `${pinned ? 'Pin' : 'Unpin'} ${title}`, exact: true }).click();
  await expect.poll(async () => (await sidebar(page)).find((c) => c.title === title)?.pinned).toBe(pinned);
}

export async function deleteChat(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: `Delete ${title}`, exact: true }).click();
  await page.getByRole('alertdialog', { name: 'Delete chat' }).getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => titles(page)).not.toContain(title);
}

export async function titles(page: Page): Promise<string[]> {
  return (await sidebar(page)).map((c) => c.title);
}
