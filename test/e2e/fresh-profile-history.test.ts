/**
 * A new device: a browser profile with nothing stored and no link opens the app of a relay whose data directory
 * holds three chats, one of 5,000 messages. It lists every chat, opens the long one at its newest messages, and
 * scrolls back to the very first. The chats are written beforehand by the relay's own file store (the format it
 * keeps on disk), so seeding 5,000 messages takes milliseconds, not 2,500 turns.
 * Prints how long the profile took to show the newest messages (a figure, not an assertion).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  formatHlc,
  WORKSPACE_CHAT_ID,
  type ChatEvent,
  type ChatMessage,
  type WorkspaceChange,
} from '../../shared/index.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { valueBytes } from '../../relay/core/json-size.ts';
import { KEEP_ALL } from '../../relay/core/replay-window.ts';
import { openFileStore } from '../../relay/storage/data-dir.ts';
import { shownMessages } from './chaos/observe.ts';
import { RelayProcess } from './chaos/relay-process.ts';
import { launchChromium } from './harness.ts';

const LONG = 'c-long-history';
const MESSAGES = 5000;
const CHATS: { id: string; title: string; messages: number }[] = [
  { id: LONG, title: 'Five thousand messages', messages: MESSAGES },
  { id: 'c-short-one', title: 'A short chat', messages: 2 },
  { id: 'c-short-two', title: 'Another short chat', messages: 4 },
];

let dataDir: string;
let relay: RelayProcess;
let browser: Browser;

/** Message i of a chat: questions and answers in turn, a second apart. */
function message(chatId: string, i: number, start: number): ChatMessage {
  const pair = Math.floor(i / 2);
  const created_at = start + i * 1000;
  return i % 2 === 0
    ? { id: `${chatId}-u${pair}`, role: 'user', text: `Question ${pair} of ${chatId}`, created_at }
    : {
        id: `${chatId}-a${pair}`,
        role: 'assistant',
        text: `Answer ${pair} of ${chatId}, with **some** markdown.`,
        created_at,
        turn_id: `t-${chatId}-${pair}`,
        status: 'done',
      };
}

/** Writes the chats and the workspace that lists them through the relay's file store, then lets it go. */
async function seed(dir: string): Promise<void> {
  const logger = createLogger('warn');
  const store = openFileStore({ dir, retention: KEEP_ALL, acks: { max: 1000, maxAgeMs: 3600_000 }, logger });
  if (typeof store === 'string') throw new Error(store);
  const start = Date.now() - 2 * MESSAGES * 1000;
  const append = (chatId: string, events: ChatEvent[]) => {
    const { history } = store.open(chatId, Date.now());
    for (const event of events) history.append({ event, at: Date.now(), bytes: valueBytes(event) });
    history.close();
  };
  const changes: WorkspaceChange[] = [];
  let counter = 0;
  const at = () => formatHlc({ wall: Date.now(), counter: counter++, node: 'seed' });
  for (const chat of CHATS) {
    const messages = Array.from({ length: chat.messages }, (_, i) => message(chat.id, i, start));
    const events = messages.map((m, i): ChatEvent => ({
      type: 'message',
      message: m,
      chat_id: chat.id,
      seq: i + 1,
      epoch: store.epoch,
    }));
    append(chat.id, events);
    const last = messages.at(-1);
    changes.push(
      { chat: chat.id, field: 'created', value: start, at: at() },
      { chat: chat.id, field: 'title', value: chat.title, at: at() },
      { chat: chat.id, field: 'active_at', value: last?.created_at ?? start, at: at() },
      { chat: chat.id, field: 'preview', value: last?.text ?? '', at: at() },
    );
  }
  append(WORKSPACE_CHAT_ID, [{ type: 'workspace', changes, chat_id: WORKSPACE_CHAT_ID, seq: 1, epoch: store.epoch }]);
  await store.sync();
  await store.close();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-history-'));
  const seeding = performance.now();
  await seed(dataDir);
  console.log(`  seeded ${MESSAGES + 6} messages in ${Math.round(performance.now() - seeding)} ms`);
  relay = await RelayProcess.start(['--data-dir', dataDir]);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it(
  'a fresh profile with no link lists every chat, opens a 5,000-message one at its newest, and scrolls to its first',
  { timeout: 180_000 },
  async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const opened = performance.now();
    await page.goto(relay.base);
    const list = page.locator('session-list');
    for (const chat of CHATS) await list.locator(`a[href="#/c/${chat.id}"]`).waitFor({ timeout: 30_000 });
    const listed = performance.now();
    const titles = await list.locator('a .title').allTextContents();
    for (const chat of CHATS) expect(titles).toContain(chat.title);

    await list.locator(`a[href="#/c/${LONG}"]`).click();
    const clicked = performance.now();
    const newest = `Answer ${MESSAGES / 2 - 1} of ${LONG}, with some markdown.`;
    await page.waitForFunction(
      (text) => {
        const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
        const items = [...(view?.shadowRoot?.querySelectorAll('chat-message') ?? [])];
        const md = items.at(-1)?.shadowRoot?.querySelector('markdown-view')?.shadowRoot?.querySelector('.md');
        return md?.textContent?.trim() === text;
      },
      newest,
      { timeout: 60_000 },
    );
    const shown = performance.now();
    console.log(
      `  fresh profile: chat list (3 chats) ${Math.round(listed - opened)} ms after opening the app; ` +
        `newest messages of the ${MESSAGES}-message chat ${Math.round(shown - clicked)} ms after its click ` +
        `(${Math.round(shown - opened)} ms from opening)`,
    );
    // The newest message is on screen, at the bottom of the scroller.
    const bottom = await page.evaluate(() => {
      const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
      const scroller = view?.shadowRoot?.querySelector<HTMLElement>('.scroller');
      return scroller ? scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight : -1;
    });
    expect(bottom).toBeGreaterThanOrEqual(0);
    expect(bottom).toBeLessThan(50);

    // Scroll up the way a reader does, until the first message is there.
    const scrolling = performance.now();
    const first = `Question 0 of ${LONG}`;
    await page.waitForFunction(
      (text) => {
        const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
        const scroller = view?.shadowRoot?.querySelector<HTMLElement>('.scroller');
        scroller?.scrollTo({ top: 0 });
        const top = view?.shadowRoot?.querySelector('chat-message');
        return top?.shadowRoot?.querySelector('.text')?.textContent?.trim() === text && scroller?.scrollTop === 0;
      },
      first,
      { timeout: 120_000, polling: 100 },
    );
    console.log(
      `  scrolled back to the first of ${MESSAGES} messages in ${Math.round(performance.now() - scrolling)} ms`,
    );
    const all = await shownMessages(page);
    expect(all).toHaveLength(MESSAGES);
    expect(all[0]?.text.trim()).toBe(first);
    expect(all.filter((m) => m.role === 'user')).toHaveLength(MESSAGES / 2);
    await context.close();
  },
);
