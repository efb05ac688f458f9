/** Reads and switches message versions in the Parley app the way a person does: the ‹ n / m › under a message. */

import type { Page } from 'playwright-core';

export interface VersionRow {
  id: string;
  role: string;
  text: string;
  /** The switcher's "n / m", or '' when the message has no other version. */
  version: string;
}

/** Each shown message: its id, role and text as the element holds them, and its version switcher's label. */
export function versionRows(page: Page): Promise<VersionRow[]> {
  return page.evaluate(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    return Array.from(view?.shadowRoot?.querySelectorAll('chat-message') ?? [], (el) => {
      const m: unknown = Reflect.get(el, 'message');
      const get = (k: string): unknown => (typeof m === 'object' && m !== null ? Reflect.get(m, k) : undefined);
      const label = el.shadowRoot?.querySelector('.versions [aria-live]')?.textContent ?? '';
      return { id: String(get('id')), role: String(get('role')), text: String(get('text')), version: label.trim() };
    });
  });
}

export const shownIds = async (page: Page): Promise<string[]> => (await versionRows(page)).map((r) => r.id);

/** Clicks the version arrow of the `index`th message shown; the switcher is always on screen, not only on hover. */
export async function stepVersion(page: Page, index: number, name: 'Previous version' | 'Next version'): Promise<void> {
  await page.locator('chat-view chat-message').nth(index).getByRole('button', { name }).click();
}

/** Edits one of the user's messages (its Edit and resend button) and sends the new text. */
export async function editAndResend(page: Page, index: number, text: string): Promise<void> {
  const message = page.locator('chat-view chat-message').nth(index);
  await message.hover();
  await message.getByRole('button', { name: 'Edit and resend' }).click();
  const composer = page.locator('chat-composer textarea');
  await composer.fill(text);
  await composer.press('Enter');
}
