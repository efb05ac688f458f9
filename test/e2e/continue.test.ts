/**
 * Continue a stopped reply, as a person does (issue 17 item 5): the demo's slow reply is stopped with Esc, Continue
 * is reached with the keyboard, and the agent goes on from where the reply stopped in a new reply after it.
 * PARLEY_SCREENSHOTS=1 saves a desktop shot of the continued reply to docs/screenshots/.
 */

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('continue a stopped reply', () => {
  it('stops a reply, continues it from the keyboard, and the agent goes on where it stopped', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1200, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${h.base}#/c/continue-e2e`);
      const composer = page.locator('chat-composer textarea');
      await composer.waitFor();
      const messages = page.locator('chat-view chat-message');
      const textOf = (i: number) =>
        messages.nth(i).evaluate((el) => {
          const m: unknown = Reflect.get(el, 'message');
          return typeof m === 'object' && m !== null && 'text' in m ? String(m.text) : '';
        });

      await composer.fill('/slow');
      await composer.press('Enter');
      await expect.poll(() => messages.count()).toBe(2);
      await expect.poll(async () => (await textOf(1)).length, { timeout: 15_000 }).toBeGreaterThan(5);
      await composer.focus();
      await page.keyboard.press('Escape');
      const cont = messages.nth(1).getByRole('button', { name: 'Continue' });
      await cont.waitFor();
      const partial = await textOf(1);

      await cont.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => messages.count(), { timeout: 15_000 }).toBe(3);
      await expect
        .poll(() => textOf(2), { timeout: 15_000 })
        .toMatch(new RegExp(`^\\*Continuing the reply that stopped after ${partial.length} characters`));
      // The partial reply stays as it was, and no longer offers Continue: the new reply is where to go on from.
      expect(await textOf(1)).toBe(partial);
      expect(await messages.nth(1).getByRole('button', { name: 'Continue' }).count()).toBe(0);
      if (SAVE) await page.screenshot({ path: `${OUT}/continue-desktop-light.png` });
      await page.locator('chat-composer button[aria-label^="Stop reply"]').click();
    } finally {
      await context.close();
    }
  });
});
