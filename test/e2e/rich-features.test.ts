/**
 * Issue 5 end to end with the demo agent: attach an image and a text file, the lightbox, a tool call and reasoning,
 * a button, an edited message, pin, search (Ctrl+K), regenerate, edit and resend, export and re-import into
 * another profile — and it all survives a reload.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startHarness, type Harness } from './harness.ts';
import { waitConnected } from './chaos/app-page.ts';
import { storedMessages } from './chaos/observe.ts';

let h: Harness;
let context: BrowserContext;
let page: Page;

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);
const composer = (p = page) => p.locator('chat-composer textarea');
const messages = (p = page) => p.locator('chat-view chat-message');

function shown(locator: Locator): Promise<string> {
  return locator.evaluate((root) => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
      const el = node instanceof Element ? node : undefined;
      const kids = el?.shadowRoot ? el.shadowRoot.childNodes : node.childNodes;
      return Array.from(kids, walk).join('');
    };
    return walk(root).replace(/\s+/g, ' ');
  });
}

async function send(text: string): Promise<void> {
  const before = await messages().count();
  await composer().fill(text);
  await composer().press('Enter');
  // Until the new message shows, the newest one is the previous reply, which would satisfy replyFinished at once.
  await expect.poll(() => messages().count()).toBeGreaterThan(before);
}

async function replyFinished(p = page): Promise<void> {
  await p.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    const last = list[list.length - 1];
    return last?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

/** The element focused, inside shadow roots: its tag and aria-label. */
function focused(p = page): Promise<string> {
  return p.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return `${el?.tagName.toLowerCase()} ${el?.getAttribute('aria-label') ?? ''}`;
  });
}

/** Clicks a button of the data dialog and returns the file it downloads. */
async function download(p: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

/** What the data dialog says after an import (`status: …` or `alert: …`); '' until it says something. */
function outcome(p: Page): Promise<string> {
  return p
    .locator('data-dialog p[role]')
    .evaluateAll((els) => els.map((el) => `${el.getAttribute('role')}: ${el.textContent ?? ''}`).join(' | '));
}

/** The id of the message a chat-message element shows. */
function messageId(locator: Locator): Promise<string> {
  return locator.evaluate((el) => {
    const message: unknown = Reflect.get(el, 'message');
    return typeof message === 'object' && message !== null && 'id' in message ? String(message.id) : '';
  });
}

beforeAll(async () => {
  h = await startHarness();
  context = await h.browser.newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  await page.goto(h.base);
  await composer().waitFor();
  await page.waitForFunction(() => {
    const status = document.querySelector('parley-app')?.shadowRoot?.querySelector('connection-status');
    return status?.shadowRoot?.textContent?.includes('Connected') === true;
  });
});

afterAll(async () => {
  await h?.close();
});

describe('rich conversations', () => {
  it('sends an image and a text file; the agent lists them; the image opens in a lightbox', async () => {
    await page.locator('chat-composer input[type=file]').setInputFiles([
      { name: 'dot.png', mimeType: 'image/png', buffer: PNG },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('kumquat notes') },
    ]);
    await expect.poll(() => page.locator('composer-files .name').allTextContents()).toEqual(['dot.png', 'notes.txt']);
    await send('Two files about kumquats');
    await replyFinished();
    expect(await shown(messages().last())).toContain('I received 2 attachments');
    const mine = messages().nth(0);
    await mine.locator('message-attachments button.thumb img').waitFor();
    expect(await mine.locator('message-attachments a.file').textContent()).toContain('notes.txt');

    await mine.locator('message-attachments button.thumb').focus();
    await page.keyboard.press('Enter');
    await page.locator('image-lightbox dialog[open] img').waitFor();
    expect(await page.locator('image-lightbox figcaption').textContent()).toContain('dot.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('image-lightbox dialog[open]').count()).toBe(0);
    expect(await focused()).toContain('button Enlarge image dot.png');
  });

  it('shows a tool call and reasoning that fold away once done, a pressed button and an edited message', async () => {
    await send('/tool');
    await replyFinished();
    const tool = messages().last().locator('tool-call-block');
    expect(await tool.locator('.status').textContent()).toBe('done');
    expect(await tool.locator('details').getAttribute('open')).toBeNull();

    await send('/reasoning');
    await replyFinished();
    const reasoning = messages().last().locator('reasoning-block details');
    expect(await reasoning.getAttribute('open')).toBeNull();

    await send('/buttons');
    await replyFinished();
    await messages().last().locator('message-buttons button', { hasText: 'Yes' }).click();
    await expect.poll(() => page.locator('message-buttons button[aria-pressed="true"]').count()).toBe(1);
    await expect.poll(() => shown(messages().last())).toContain('Yes');
    await replyFinished();

    await send('/edit');
    await replyFinished();
    await expect.poll(() => page.locator('chat-message .badge', { hasText: 'Edited' }).count()).toBeGreaterThan(0);
  });

  it('pins a message, lists it, and jumps to it', async () => {
    await messages().first().hover();
    await messages().first().getByRole('button', { name: 'Pin message' }).click();
    const pins = page.getByRole('button', { name: 'Pinned messages (1)' });
    const entry = page.locator('pinned-list button.go');
    // Opened from its button, the list takes focus; Esc closes it and gives focus back to the button.
    await pins.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => entry.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => entry.count()).toBe(0);
    expect(await focused()).toBe('button Pinned messages (1)');
    await pins.click();
    expect(await shown(entry)).toContain('Two files about kumquats');
    await entry.click();
    await expect.poll(() => focused()).toContain('chat-message');
  });

  it('finds a message in any chat with Ctrl+K and jumps to it', async () => {
    await page.getByRole('button', { name: 'New chat' }).first().click();
    await send('Another chat entirely');
    await replyFinished();
    await composer().focus();
    const input = page.locator('search-dialog input');
    // One Esc closes search even with text in it (a search field's own Esc would only clear it), focus goes back.
    await page.keyboard.press('Control+k');
    await input.waitFor();
    await page.keyboard.type('kum');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('search-dialog dialog[open]').count()).toBe(0);
    expect(await focused()).toBe('textarea Message');
    await page.keyboard.press('Control+k');
    await expect.poll(() => input.inputValue()).toBe('kum');
    await page.keyboard.press('Backspace');
    await expect.poll(() => focused()).toContain('input Search all chats');
    await page.keyboard.type('kumqu');
    await expect.poll(() => page.locator('search-dialog li[role=option]').count()).toBeGreaterThan(1);
    // The chat's title matches first; the arrow moves to the message.
    expect(await shown(page.locator('search-dialog li[aria-selected=true]'))).toContain('chat title');
    await page.keyboard.press('ArrowDown');
    const selected = page.locator('search-dialog li[aria-selected=true]');
    expect(await shown(selected)).not.toContain('chat title');
    expect(await selected.locator('mark').textContent()).toBe('kumqu');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('parley-app h1').textContent()).toBe('Demo: Two files about kumquats');
    await expect.poll(() => focused()).toContain('chat-message');
  });

  it('regenerates the last reply and edits and resends a message', async () => {
    const count = await messages().count();
    await messages().last().hover();
    // The new reply reads the same as the old one, and may finish between two polls: it is told apart by its id.
    const before = await messageId(messages().last());
    await messages().last().getByRole('button', { name: 'Regenerate reply' }).click();
    await expect.poll(() => messageId(messages().last())).not.toBe(before);
    await expect.poll(() => messages().count()).toBe(count);
    await replyFinished();
    expect(await shown(messages().last())).toContain('I edited my previous reply');

    await messages()
      .nth(count - 2)
      .hover();
    await messages()
      .nth(count - 2)
      .getByRole('button', { name: 'Edit and resend' })
      .click();
    await expect.poll(() => composer().inputValue()).toBe('/edit');
    await composer().fill('/tool');
    await composer().press('Enter');
    await expect.poll(() => messages().last().locator('tool-call-block').count()).toBe(1);
    await expect.poll(() => messages().count()).toBe(count);
    await replyFinished();
    expect(await messages().last().locator('tool-call-block').count()).toBe(1);
  });

  it('keeps it all after a reload', async () => {
    await page.reload();
    await messages().first().waitFor();
    expect(await messages().last().locator('tool-call-block .status').textContent()).toBe('done');
    await messages().first().locator('message-attachments button.thumb img').waitFor();
    expect(await page.getByRole('button', { name: 'Pinned messages (1)' }).count()).toBe(1);
  });

  it('exports everything as JSON and Markdown, imports the JSON into a fresh profile once, and refuses a damaged file', async () => {
    // What this profile shows of the chat: the branch through the newest versions (the export holds them all).
    const shownHere = await Promise.all((await messages().all()).map(messageId));
    await page.getByRole('button', { name: 'Export and import' }).click();
    await page.getByRole('radio', { name: 'All chats' }).check();
    const json = await download(page, 'Export JSON');
    expect(json.name).toMatch(/^parley-all-chats-\d{4}-\d{2}-\d{2}\.json$/);
    expect(json.text).toContain('"format":"parley-export"');
    const exported = JSON.parse(json.text) as {
      chats: { session: { id: string; title: string }; messages: { id: string }[] }[];
    };
    const kumquats = exported.chats.find((c) => c.session.title === 'Two files about kumquats');
    expect(kumquats?.messages.length).toBeGreaterThan(2);
    // Every version is exported: the regenerated reply's old version and the edited message's are there too.
    expect(kumquats?.messages.length).toBeGreaterThan(shownHere.length);
    expect(kumquats?.messages.map((m) => m.id)).toEqual(expect.arrayContaining(shownHere));
    const md = await download(page, 'Export Markdown');
    expect(md.name).toMatch(/^parley-all-chats-.*\.md$/);
    expect(md.text).toContain('# Two files about kumquats');
    expect(md.text).toContain('📎 dot.png');
    await page.keyboard.press('Escape');

    const dir = mkdtempSync(join(tmpdir(), 'parley-profile-'));
    const other = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 800 },
    });
    // Connected, this profile would list the first one's chats at once (the synced workspace); it is kept from the
    // relay until the offline part is over, so the import is judged on its own.
    let relayReachable = false;
    await other.routeWebSocket(/\/ws/, (ws) => (relayReachable ? ws.connectToServer() : ws.close()));
    try {
      const fresh = other.pages()[0] ?? (await other.newPage());
      await fresh.goto(h.base);
      await composer(fresh).waitFor();
      // Offline, the imported chats are exactly what the file holds: the relay cannot add its copy of them.
      await fresh.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await other.setOffline(true);
      await fresh.getByRole('button', { name: 'Export and import' }).click();
      const input = fresh.locator('data-dialog input[type=file]');
      const importFile = (name: string, text: string) =>
        input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

      await importFile('cut.json', json.text.slice(0, json.text.length / 2));
      await expect
        .poll(() => outcome(fresh))
        .toMatch(/^alert: cut\.json was not imported; nothing was changed\. .*not JSON/);
      expect(await fresh.locator('session-list .title').count()).toBe(0);

      await importFile('all.json', json.text);
      await expect.poll(() => outcome(fresh)).toMatch(/^status: Imported all\.json: 2 chats, \d+ new messages\.$/);
      await importFile('all.json', json.text);
      await expect.poll(() => outcome(fresh)).toBe('status: Imported all.json: 2 chats, 0 new messages.');
      const damaged = json.text.replace('"role":"assistant"', '"role":"robot"');
      await importFile('damaged.json', damaged);
      await expect
        .poll(() => outcome(fresh))
        .toMatch(/^alert: damaged\.json was not imported; nothing was changed\. This export is damaged: .*role/);
      await fresh.keyboard.press('Escape');

      const titles = fresh.locator('session-list .title');
      await expect
        .poll(() => titles.allTextContents())
        .toEqual(expect.arrayContaining(['Two files about kumquats', 'Another chat entirely']));
      expect(await titles.count()).toBe(2);
      await titles.filter({ hasText: 'Two files about kumquats' }).click();
      const first = messages(fresh).first();
      await first.locator('message-attachments button.thumb img').waitFor();
      expect(await first.locator('message-attachments a.file').textContent()).toContain('notes.txt');
      expect(await shown(first)).toContain('Two files about kumquats');
      // The same versions, so the same branch as the exporting profile; every version is stored.
      const shownThere = async () => Promise.all((await messages(fresh).all()).map(messageId));
      await expect.poll(shownThere).toEqual(shownHere);
      await fresh.reload();
      await first.locator('message-attachments button.thumb img').waitFor();
      await expect.poll(shownThere).toEqual(shownHere);
      const chatId = kumquats?.session.id ?? '';
      expect((await storedMessages(fresh, chatId)).ids.sort()).toEqual(kumquats?.messages.map((m) => m.id).sort());

      // Online, the relay's history of that chat joins it: each message is there once, and the branch is the same.
      await other.setOffline(false);
      relayReachable = true;
      await fresh.reload();
      await first.waitFor();
      await waitConnected(fresh);
      await expect.poll(shownThere).toEqual(shownHere);
      const stored = (await storedMessages(fresh, chatId)).ids;
      expect(new Set(stored).size).toBe(stored.length);
      expect(stored).toEqual(expect.arrayContaining(kumquats?.messages.map((m) => m.id) ?? []));
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
