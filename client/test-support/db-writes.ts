/** Test-only shorthands that seed a database through its one write path (`commit`), as the data layer would. */

import { ChatCache } from '../state/chat-cache.ts';
import { emptyBatch, type Batch, type ParleyDb } from '../state/db.ts';
import { LocalData } from '../state/local-data.ts';
import type { LocalMessage, OutboxEntry, ResumePoint, Session, StoredAttachment } from '../state/types.ts';

const write = (db: ParleyDb, part: Partial<Batch>) => db.commit({ ...emptyBatch(), ...part });

export const putMessages = (
  db: ParleyDb,
  messages: LocalMessage[],
  resume?: ResumePoint,
  removed: [string, string][] = [],
) => write(db, { messages, removed, resume: resume ? [resume] : [] });
export const putSession = (db: ParleyDb, session: Session) => write(db, { sessions: [session] });
export const putAttachment = (db: ParleyDb, a: StoredAttachment) => write(db, { attachments: [a] });
export const putDraft = (db: ParleyDb, chatId: string, text: string) =>
  write(db, { drafts: [{ chat_id: chatId, text, updated_at: Date.now() }] });
export const enqueue = (db: ParleyDb, entry: OutboxEntry) => write(db, { queue: [entry] });
export const dequeue = (db: ParleyDb, clientMsgId: string) => write(db, { dequeue: [clientMsgId] });
export const putPending = (
  db: ParleyDb,
  message: LocalMessage,
  entry: OutboxEntry,
  attachments: StoredAttachment[] = [],
) => write(db, { messages: [message], queue: [entry], attachments });
export const getResume = async (db: ParleyDb, chatId: string) =>
  (await db.listResume()).find((r) => r.chat_id === chatId);

/** A chat cache over `db` (or none), writing through its own data layer, as the store would build it. */
export function testCache(
  chatId: string,
  db: ParleyDb | null,
  hooks: { onFirstPage?: (c: ChatCache) => void; onError?: (err: unknown) => void } = {},
): { cache: ChatCache; data: LocalData } {
  const onError =
    hooks.onError ??
    ((err: unknown) => {
      throw err;
    });
  const data = new LocalData(db, onError, () => {});
  const cache = new ChatCache(chatId, {
    data,
    onError,
    onApplied: () => {},
    onGap: () => {},
    onFirstPage: hooks.onFirstPage ?? (() => {}),
  });
  return { cache, data };
}

/** The queued messages and presses (workspace writes, which every send also queues, left out). */
export async function queuedMessages(db: ParleyDb): Promise<OutboxEntry[]> {
  return (await db.listOutbox()).filter((e) => e.kind !== 'workspace');
}
