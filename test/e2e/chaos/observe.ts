/** Reads what a tab shows (its DOM, through shadow roots) and what its browser profile stored (IndexedDB). */

import type { Page } from 'playwright-core';

export interface Seen {
  role: 'user' | 'assistant';
  /** User messages: the text as typed. Replies: the rendered markdown's text (DOM) or the markdown (IndexedDB). */
  text: string;
  /** Still streaming or still queued: not settled yet. */
  unsettled: boolean;
}

/** The messages a tab shows, top to bottom. */
export function shownMessages(page: Page): Promise<Seen[]> {
  return page.evaluate(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    return Array.from(list, (el) => {
      const root = el.shadowRoot;
      const article = root?.querySelector('article');
      const user = article?.classList.contains('user') ?? false;
      const text = user
        ? (root?.querySelector('.text')?.textContent ?? '')
        : (root?.querySelector('markdown-view')?.shadowRoot?.querySelector('.md')?.textContent ?? '');
      const queued = Array.from(root?.querySelectorAll('.badge') ?? []).some((b) => b.textContent?.includes('Queued'));
      return {
        role: user ? ('user' as const) : ('assistant' as const),
        text,
        unsettled: article?.getAttribute('aria-busy') === 'true' || queued,
      };
    });
  });
}

export interface Stored {
  messages: Seen[];
  /** The messages' ids, in the same order. */
  ids: string[];
  /** Frames still waiting in the outbox (any chat). */
  queued: number;
}

/**
 * A chat's messages as this browser profile's IndexedDB holds them, in the app's display order
 * (relay time; on a tie the user's message first, users' messages by seq; then id).
 */
export function storedMessages(page: Page, chatId: string): Promise<Stored> {
  return page.evaluate(async (chat) => {
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
    const tx = db.transaction(['messages', 'outbox'], 'readonly');
    const rows = await read(tx.objectStore('messages').index('by-chat').getAll(chat));
    const outbox = await read(tx.objectStore('outbox').getAll());
    db.close();
    const field = (row: unknown, key: string): unknown =>
      typeof row === 'object' && row !== null ? Reflect.get(row, key) : undefined;
    const messages = rows.map((row) => {
      const state = String(field(row, 'state'));
      return {
        role: field(row, 'role') === 'user' ? ('user' as const) : ('assistant' as const),
        text: String(field(row, 'text') ?? ''),
        unsettled: state === 'pending' || state === 'streaming',
        at: Number(field(row, 'created_at')),
        epoch: String(field(row, 'epoch')),
        seq: Number(field(row, 'seq') ?? 0),
        id: String(field(row, 'id')),
      };
    });
    messages.sort(
      (a, b) =>
        a.at - b.at ||
        (a.role === b.role ? 0 : a.role === 'user' ? -1 : 1) ||
        (a.role === 'user' && a.epoch === b.epoch ? a.seq - b.seq : 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return {
      messages: messages.map(({ role, text, unsettled }) => ({ role, text, unsettled })),
      ids: messages.map((m) => m.id),
      queued: outbox.length,
    };
  }, chatId);
}

/** Renders markdown with the app's own `<markdown-view>` in one go, as the fault-free reference for the DOM. */
export function renderedText(page: Page, markdown: string[]): Promise<string[]> {
  return page.evaluate(async (texts) => {
    const out: string[] = [];
    for (const text of texts) {
      const el = document.createElement('markdown-view');
      Reflect.set(el, 'text', text);
      document.body.append(el);
      for (let i = 0; i < 200; i++) {
        const md = el.shadowRoot?.querySelector('.md');
        if (md && !el.shadowRoot?.querySelector('.tail.plain')) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      out.push(el.shadowRoot?.querySelector('.md')?.textContent ?? '');
      el.remove();
    }
    return out;
  }, markdown);
}
