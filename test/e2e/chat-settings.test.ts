/**
 * Per-chat settings (issue 17): set in the header chip's dialog on one profile, they are workspace fields, so another
 * profile's chip shows them and its next turn carries them (the demo's `/settings` echoes what the agent received).
 * A value out of the parameter's range is shown inline and not saved. PARLEY_SCREENSHOTS=1 saves desktop and phone
 * shots of the chip and the dialog to docs/screenshots/.
 */

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

const SAVE = process.env['PARLEY_SCREENSHOTS'] === '1';
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  if (SAVE) await page.screenshot({ path: resolve(OUT, `${name}.png`) });
}

const chip = (p: Page) => p.locator('header button.chat-settings');
const dialog = (p: Page) => p.locator('chat-settings-dialog dialog');
const messages = (p: Page) => p.locator('chat-view chat-message');
const lastText = (p: Page) =>
  messages(p)
    .last()
    .evaluate((el) => {
      const m: unknown = Reflect.get(el, 'message');
      return typeof m === 'object' && m !== null && 'text' in m ? String(m.text) : '';
    });

async function openApp(p: Page): Promise<void> {
  await p.goto(h.base);
  await p.locator('chat-composer textarea').waitFor();
}

async function send(p: Page, text: string): Promise<void> {
  await p.locator('chat-composer textarea').fill(text);
  await p.locator('chat-composer textarea').press('Enter');
}

describe('per-chat settings', () => {
  it('set on one profile: refused inline when out of range, then shown and sent with every turn on another', async () => {
    const laptop = await h.browser.newContext({ viewport: { width: 1200, height: 800 } });
    const phone = await h.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const a = await laptop.newPage();
      await openApp(a);
      await send(a, 'hello there');
      await expect.poll(() => messages(a).count(), { timeout: 15_000 }).toBe(2);
      await expect.poll(() => chip(a).getAttribute('aria-label')).toMatch(/model demo-\S+ \(agent default\)$/);

      // A temperature above the agent's max: an inline error, the dialog stays open, nothing is written.
      await chip(a).click();
      await dialog(a).waitFor();
      await a.getByLabel('Temperature', { exact: true }).fill('5');
      await a.getByRole('button', { name: 'Save' }).click();
      const error = a.locator('chat-settings-dialog [data-param=temperature] .error');
      await expect.poll(() => error.textContent()).toContain('must be at most 2');
      expect(await a.getByLabel('Temperature', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await shot(a, 'settings-dialog-invalid-desktop');
      expect(await dialog(a).evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      await a.keyboard.press('Escape');
      await expect.poll(() => dialog(a).evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
      expect(await chip(a).getAttribute('aria-label')).not.toContain('temperature');
      expect(await chip(a).evaluate((el) => el.matches(':focus'))).toBe(true);

      // A system prompt and a temperature in range: saved, and the chip marks them.
      await chip(a).click();
      await dialog(a).waitFor();
      expect(await a.getByLabel('Temperature', { exact: true }).inputValue()).toBe('');
      await a.getByLabel('System prompt', { exact: true }).fill('Answer like a pirate.');
      await a.getByLabel('Temperature', { exact: true }).fill('0.3');
      await shot(a, 'settings-dialog-desktop');
      await a.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => chip(a).getAttribute('aria-label')).toContain('set: system prompt; temperature');
      await chip(a).locator('.set').waitFor();
      await shot(a, 'settings-chip-desktop');

      // A phone that never saw the dialog: the chat's chip shows the settings, and its turn carries them.
      const b = await phone.newPage();
      await openApp(b);
      await b.getByRole('button', { name: 'Show chats' }).click();
      const title = b.locator('session-list .title', { hasText: 'hello there' });
      await title.waitFor({ timeout: 15_000 });
      await title.click();
      await expect
        .poll(() => chip(b).getAttribute('aria-label'), { timeout: 15_000 })
        .toContain('set: system prompt; temperature');
      await expect.poll(() => messages(b).count(), { timeout: 15_000 }).toBe(2);
      await send(b, '/settings');
      await expect.poll(() => lastText(b), { timeout: 15_000 }).toContain('System prompt: "Answer like a pirate."');
      const echoed = await lastText(b);
      expect(echoed).toContain('`temperature`: 0.3');
      await shot(b, 'settings-chip-phone');
      // The keyboard way in (Alt+Shift+S), from the message field.
      await b.locator('chat-composer textarea').focus();
      await b.keyboard.press('Alt+Shift+KeyS');
      await dialog(b).waitFor();
      expect(await b.getByLabel('System prompt', { exact: true }).inputValue()).toBe('Answer like a pirate.');
      expect(await b.getByLabel('Temperature', { exact: true }).inputValue()).toBe('0.3');
      await shot(b, 'settings-dialog-phone');
    } finally {
      await laptop.close();
      await phone.close();
    }
  });
});
