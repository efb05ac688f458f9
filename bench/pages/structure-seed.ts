/**
 * Writes bench chats into the app's IndexedDB with the platform API alone: the app creates its database
 * (open it once first), this page adds records of the stored shape to its `sessions` and `messages` stores.
 * Needing no app module, it seeds any version whose stores keep those names and record shapes.
 */

import { history } from './history-data.ts';
import type { SeedChat } from './structure-counts.ts';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function openExisting(): Promise<IDBDatabase> {
  const req = indexedDB.open('parley');
  // Opening without a version creates an empty database if there is none: refuse rather than seed into it.
  req.onupgradeneeded = () => req.transaction?.abort();
  const db = await request(req).catch(() => undefined);
  if (!db || !db.objectStoreNames.contains('messages') || !db.objectStoreNames.contains('sessions')) {
    db?.close();
    throw new Error('no Parley database with sessions and messages stores here: open the app once first');
  }
  return db;
}

/** One transaction per chat: its messages, then its session (newest message as the sidebar preview). */
async function chats(list: SeedChat[]): Promise<number> {
  const db = await openExisting();
  let written = 0;
  try {
    for (const chat of list) {
      const messages = history(chat.id, chat.count, chat.marker, chat.updatedAt - chat.count * 60_000);
      const tx = db.transaction(['messages', 'sessions'], 'readwrite');
      const store = tx.objectStore('messages');
      for (const m of messages) void store.put(m);
      const newest = messages[messages.length - 1];
      void tx.objectStore('sessions').put({
        id: chat.id,
        title: chat.title,
        titled: true,
        pinned: false,
        created_at: messages[0]?.created_at ?? chat.updatedAt,
        updated_at: chat.updatedAt,
        preview: newest?.text.slice(0, 120) ?? '',
      });
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error ?? new Error('seed transaction aborted'));
      });
      written += messages.length;
    }
  } finally {
    db.close();
  }
  return written;
}

Object.assign(window, { __structureSeed: { chats } });
