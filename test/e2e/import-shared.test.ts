/**
 * A chat imported from a file on one device reaches every other (issue 15): imported offline, it is queued; once
 * the relay is reachable its messages travel as `import` frames and its session as workspace fields, so a fresh
 * profile lists the chat and shows its messages, file included, each once.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';
const at = Date.UTC(2025, 4, 6, 7, 8, 9);
const chat = 'c-from-elsewhere';
/** An export written by another relay's device: its messages carry that relay's epoch, which this relay never had. */
const file = JSON.stringify({
  format: 'parley-export',
  version: 1,
  exported_at: at + 10_000,
  chats: [
    {
      session: {
        id: chat,
        title: 'Notes from the old laptop',
        titled: true,
        pinned: false,
        created_at: at,
        updated_at: at + 1,
        preview: 'the kumquat answer',
      },
      messages: [
        {
          chat_id: chat,
          id: 'old-u1',
          role: 'user',
          text: 'What is a kumquat?',
          created_at: at,
          state: 'sent',
          epoch: 'elsewhere',
          seq: 1,
          attachments: [{ id: `${chat}/old-u1/0`, name: 'dot.png', mime: 'image/png', size: 70 }],
        },
        {
          chat_id: chat,
          id: 'old-a1',
          role: 'assistant',
          text: 'A small citrus fruit: the kumquat answer.',
          created_at: at + 1,
          state: 'done',
          turn_id: 'old-turn',
          epoch: 'elsewhere',
          seq: 3,
        },
        {
          chat_id: chat,
          id: 'old-u2',
          role: 'user',
          text: 'this one never left the old laptop',
          created_at: at + 2,
          state: 'pending',
        },
      ],
      pins: [],
      attachments: [{ id: `${chat}/old-u1/0`, name: 'dot.png', mime: 'image/png', size: 70, data: PNG }],
    },
  ],
});

const titles = (p: Page) => p.locator('session-list .title');
const messages = (p: Page) => p.locator('chat-view chat-message');

async function openApp(p: Page): Promise<void> {
  await p.goto(h.base);
  await p.locator('chat-composer textarea').waitFor();
}

describe('an imported chat on every device', () => {
  it('reaches a fresh profile once the importing one is online: listed, every shared message once, its file too', async () => {
    const laptop = await h.browser.newContext({ viewport: { width: 1200, height: 800 } });
    const phone = await h.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      // The laptop imports while the relay is out of reach: the shared copy waits in its outbox.
      let reachable = false;
      await laptop.routeWebSocket(/\/ws/, (ws) => (reachable ? ws.connectToServer() : ws.close()));
      const a = await laptop.newPage();
      await openApp(a);
      await a.getByRole('button', { name: 'Export and import' }).click();
      await a
        .locator('data-dialog input[type=file]')
        .setInputFiles({ name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(file) });
      await expect.poll(() => a.locator('data-dialog p[role=status]').textContent()).toContain('3 new messages');
      await a.keyboard.press('Escape');
      await expect.poll(() => titles(a).allTextContents()).toEqual(['Notes from the old laptop']);

      reachable = true;
      await a.reload();
      await a.locator('chat-composer textarea').waitFor();
      // Queued frames leave once connected: the outbox empties (the pending message was never queued).
      await a.waitForFunction(async () => {
        const dbs = await indexedDB.databases();
        const name = dbs.find((d) => d.name?.startsWith('parley'))?.name;
        if (!name) return false;
        const db = await new Promise<IDBDatabase>((ok, bad) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => ok(r.result);
          r.onerror = () => bad(r.error);
        });
        const count = await new Promise<number>((ok) => {
          const r = db.transaction('outbox').objectStore('outbox').count();
          r.onsuccess = () => ok(r.result);
        });
        db.close();
        return count === 0;
      });

      // A phone that never saw the file: the chat is listed, with its messages and its file, each once.
      const b = await phone.newPage();
      await openApp(b);
      await b
        .getByRole('button', { name: /menu|chats/i })
        .first()
        .click()
        .catch(() => undefined);
      await expect.poll(() => titles(b).allTextContents(), { timeout: 15_000 }).toEqual(['Notes from the old laptop']);
      await titles(b).first().click();
      await expect.poll(() => messages(b).count(), { timeout: 15_000 }).toBe(2);
      const texts = await messages(b).allTextContents();
      expect(texts.join(' ')).not.toContain('never left the old laptop');
      await messages(b).first().locator('message-attachments button.thumb img').waitFor();
      const text = await messages(b)
        .nth(1)
        .evaluate((el) => {
          const m: unknown = Reflect.get(el, 'message');
          return typeof m === 'object' && m !== null && 'text' in m ? String(m.text) : '';
        });
      expect(text).toBe('A small citrus fruit: the kumquat answer.');
      await b.screenshot({ path: 'test-results/import-shared-phone.png' }).catch(() => undefined);
    } finally {
      await laptop.close();
      await phone.close();
    }
  });
});
