/** Writes bench sessions into the app's own IndexedDB (same origin), through the app's own database module. */

import { emptyBatch, ParleyDb } from '../../client/state/db.ts';
import { history } from './history-data.ts';

async function reset(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase('parley');
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error('deleteDatabase failed'));
    req.onblocked = () => reject(new Error('deleteDatabase blocked: close the app first'));
  });
}

/** A session of `count` messages whose newest contains `marker`; `updatedAt` orders the sidebar. */
async function session(chatId: string, title: string, count: number, marker: string, updatedAt: number): Promise<void> {
  const db = await ParleyDb.open();
  try {
    const messages = history(chatId, count, marker, updatedAt - count * 60_000);
    for (let i = 0; i < messages.length; i += 500) {
      await db.commit({ ...emptyBatch(), messages: messages.slice(i, i + 500) });
    }
    const newest = messages[messages.length - 1];
    const sessions = [
      {
        id: chatId,
        title,
        titled: true,
        pinned: false,
        created_at: messages[0]?.created_at ?? updatedAt,
        updated_at: updatedAt,
        preview: newest?.text.slice(0, 120) ?? '',
      },
    ];
    await db.commit({ ...emptyBatch(), sessions });
  } finally {
    db.close();
  }
}

Object.assign(window, { __seed: { reset, session } });
