/** The one module that opens Parley's IndexedDB database (schema and upgrades in db-schema.ts): typed, idempotent writes, used only by the data layer (local-data.ts). */

import { openDB, unwrap, type StoreNames } from 'idb';
import {
  DEFAULT_SETTINGS,
  type Draft,
  type LocalMessage,
  type OutboxEntry,
  type Pin,
  type ResumePoint,
  type Session,
  type Settings,
  type StoredAttachment,
} from './types.ts';
import { CHAT_STORES, DB_VERSION, UPGRADES, type Db, type ParleySchema } from './db-schema.ts';

type StoreName = StoreNames<ParleySchema>;
import { toStorageError } from './storage-error.ts';
import { mergeRecords, type WorkspaceRecord } from '../../shared/index.ts';

export { StorageError } from './storage-error.ts';
export { DB_VERSION } from './db-schema.ts';

/** `IDBIndex.getAllRecords` (Chromium 141+), not yet in TypeScript's DOM types. */
interface RecordsIndex {
  getAllRecords?(options: {
    query?: IDBKeyRange;
    count?: number;
    direction?: IDBCursorDirection;
  }): IDBRequest<{ value: LocalMessage }[]>;
}

/** What a delete took from the database, so an undo can put it back. */
export interface Deleted {
  session?: Session;
  draft?: Draft;
  resume?: ResumePoint;
  messages: LocalMessage[];
  pins: Pin[];
  attachments: StoredAttachment[];
  outbox: OutboxEntry[];
}

function compactDeleted(d: {
  session?: Session | undefined;
  draft?: Draft | undefined;
  resume?: ResumePoint | undefined;
  messages: LocalMessage[];
  pins: Pin[];
  attachments: StoredAttachment[];
  outbox?: OutboxEntry[];
}): Deleted {
  const out: Deleted = { messages: d.messages, pins: d.pins, attachments: d.attachments, outbox: d.outbox ?? [] };
  if (d.session) out.session = d.session;
  if (d.draft) out.draft = d.draft;
  if (d.resume) out.resume = d.resume;
  return out;
}

/** Writes that land together, in one transaction: what the data layer gathered since it last wrote. */
export interface Batch {
  /** Upserts; a copy from an older point of the same event stream never overwrites a newer one. */
  messages: LocalMessage[];
  /**
   * This device's changes to messages the relay delivered (a reply marked cut off): written only over a stored
   * copy, so one that another tab deleted meanwhile (a replaced reply) does not come back.
   */
  updates: LocalMessage[];
  removed: [chatId: string, id: string][];
  attachments: StoredAttachment[];
  resume: ResumePoint[];
  /** New outbox entries (ids minted just now, so nothing to check first). */
  queue: OutboxEntry[];
  /** Outbox entries the relay has, by `client_msg_id`. */
  dequeue: string[];
  sessions: Session[];
  /** A draft per chat; empty text deletes it. */
  drafts: Draft[];
  /** Workspace records, merged with the stored copy (another tab may have written a newer field meanwhile). */
  workspace: WorkspaceRecord[];
}

export function emptyBatch(): Batch {
  return {
    messages: [],
    updates: [],
    removed: [],
    attachments: [],
    resume: [],
    queue: [],
    dequeue: [],
    sessions: [],
    drafts: [],
    workspace: [],
  };
}

/** What the rest of the client may do with the database: read. Writes go through the data layer. */
export type DbReader = Pick<
  ParleyDb,
  | 'listSessions'
  | 'loadMessages'
  | 'loadLatestMessages'
  | 'getMessage'
  | 'listPins'
  | 'getAttachment'
  | 'listAttachments'
  | 'allMessages'
  | 'listOutbox'
  | 'listResume'
  | 'getDraft'
  | 'getSettings'
  | 'listWorkspace'
>;

export interface DbHooks {
  /** Another tab still holds an older version open; this one waits until it closes. */
  onBlocked?: () => void;
  /** A newer version was opened elsewhere; this connection has closed itself. */
  onVersionChange?: () => void;
}

/** True when `a` was written from an older point of the same event stream than `b`. */
function isOlder(a: LocalMessage, b: LocalMessage): boolean {
  return a.epoch !== undefined && a.epoch === b.epoch && (a.seq ?? 0) < (b.seq ?? 0);
}

export class ParleyDb {
  private constructor(private readonly db: Db) {}

  static async open(name = 'parley', hooks: DbHooks = {}): Promise<ParleyDb> {
    let db: Db;
    try {
      db = await openDB<ParleySchema>(name, DB_VERSION, {
        upgrade(database, oldVersion, _newVersion, tx) {
          for (let v = oldVersion; v < DB_VERSION; v++) UPGRADES[v]?.(database, tx);
        },
        blocked: () => hooks.onBlocked?.(),
        blocking: () => {
          db.close();
          hooks.onVersionChange?.();
        },
      });
    } catch (err) {
      throw toStorageError(err, 'open');
    }
    return new ParleyDb(db);
  }

  close(): void {
    this.db.close();
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toStorageError(err, 'write');
    }
  }

  // ---- sessions ----

  async listSessions(): Promise<Session[]> {
    const all = await this.db.getAllFromIndex('sessions', 'by-updated');
    return all.reverse();
  }

  getSession(id: string): Promise<Session | undefined> {
    return this.db.get('sessions', id);
  }

  /** Deletes a chat and everything stored for it, in one transaction; returns what it deleted (for undo). */
  deleteSession(chatId: string): Promise<Deleted> {
    return this.write(async () => {
      const tx = this.db.transaction(['sessions', ...CHAT_STORES], 'readwrite');
      const [session, draft, resume, messages, pins, attachments, outbox] = await Promise.all([
        tx.objectStore('sessions').get(chatId),
        tx.objectStore('drafts').get(chatId),
        tx.objectStore('resume').get(chatId),
        tx.objectStore('messages').index('by-chat').getAll(chatId),
        tx.objectStore('pins').index('by-chat').getAll(chatId),
        tx.objectStore('attachments').index('by-chat').getAll(chatId),
        tx.objectStore('outbox').index('by-chat').getAll(chatId),
      ]);
      void tx.objectStore('sessions').delete(chatId);
      void tx.objectStore('drafts').delete(chatId);
      void tx.objectStore('resume').delete(chatId);
      for (const m of messages) void tx.objectStore('messages').delete([m.chat_id, m.id]);
      for (const p of pins) void tx.objectStore('pins').delete([p.chat_id, p.message_id]);
      for (const a of attachments) void tx.objectStore('attachments').delete(a.id);
      for (const e of outbox) if (e.seq !== undefined) void tx.objectStore('outbox').delete(e.seq);
      await tx.done;
      return compactDeleted({ session, draft, resume, messages, pins, attachments, outbox });
    });
  }

  /** Puts back what a delete took (an undo): only records not stored again since. */
  restore(deleted: Deleted): Promise<void> {
    return this.write(async () => {
      const tx = this.db.transaction(['sessions', ...CHAT_STORES], 'readwrite');
      // A message the relay delivered again meanwhile (or another tab's newer copy) is kept as it is now.
      const sessions = tx.objectStore('sessions');
      if (deleted.session && (await sessions.getKey(deleted.session.id)) === undefined) {
        void sessions.put(deleted.session);
      }
      for (const m of deleted.messages) {
        if ((await tx.objectStore('messages').getKey([m.chat_id, m.id])) === undefined) {
          void tx.objectStore('messages').put(m);
        }
      }
      if (deleted.draft) void tx.objectStore('drafts').put(deleted.draft);
      if (deleted.resume) void tx.objectStore('resume').put(deleted.resume);
      for (const p of deleted.pins) void tx.objectStore('pins').put(p);
      for (const a of deleted.attachments) void tx.objectStore('attachments').put(a);
      for (const e of deleted.outbox) void tx.objectStore('outbox').put(e);
      await tx.done;
    });
  }

  // ---- messages ----

  /** A chat's messages, oldest first. */
  async loadMessages(chatId: string): Promise<LocalMessage[]> {
    const all = await this.db.getAllFromIndex('messages', 'by-chat', chatId);
    return all.sort((a, b) => a.created_at - b.created_at);
  }

  /**
   * A chat's newest `limit` messages by relay time, oldest first: enough to paint while the rest loads. Ties at the
   * page's edge may fall either side; `loadMessages` is the complete, authoritative read.
   */
  async loadLatestMessages(chatId: string, limit: number): Promise<LocalMessage[]> {
    const range = IDBKeyRange.bound([chatId, -Infinity], [chatId, Infinity]);
    const index = this.db.transaction('messages').store.index('by-chat-time');
    const raw = unwrap(index) as IDBIndex & RecordsIndex;
    if (raw.getAllRecords) {
      // One request: a cursor costs a round trip per record, which is slow while a relaunched browser starts up.
      const req = raw.getAllRecords({ query: range, count: limit, direction: 'prev' });
      const records = await new Promise<{ value: LocalMessage }[]>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('getAllRecords failed'));
      });
      return records.map((r) => r.value).reverse();
    }
    const out: LocalMessage[] = [];
    let cursor = await index.openCursor(range, 'prev');
    while (cursor && out.length < limit) {
      out.push(cursor.value);
      cursor = await cursor.continue();
    }
    return out.reverse();
  }

  getMessage(chatId: string, id: string): Promise<LocalMessage | undefined> {
    return this.db.get('messages', [chatId, id]);
  }

  /**
   * Writes a batch in one transaction. Writes that need no check (this device's own records, deletions, new
   * queue entries) are issued before the first await, so a batch holding a send is committed even if the tab
   * closes right after; messages and resume points from the relay stream are checked against what is stored
   * (tabs seeing the same events converge), and an entry is dequeued only if queued.
   */
  commit(batch: Batch): Promise<void> {
    return this.write(async () => {
      const names = new Set<StoreName>();
      if (batch.messages.length || batch.updates.length || batch.removed.length) names.add('messages');
      if (batch.attachments.length) names.add('attachments');
      if (batch.resume.length) names.add('resume');
      if (batch.queue.length || batch.dequeue.length) names.add('outbox');
      if (batch.sessions.length) names.add('sessions');
      if (batch.drafts.length) names.add('drafts');
      if (batch.workspace.length) names.add('workspace');
      if (names.size === 0) return;
      const tx = this.db.transaction([...names], 'readwrite');
      for (const a of batch.attachments) void tx.objectStore('attachments').put(a);
      for (const key of batch.removed) void tx.objectStore('messages').delete(key);
      const streamed = batch.messages.filter((m) => m.seq !== undefined);
      for (const m of batch.messages) if (m.seq === undefined) void tx.objectStore('messages').put(m);
      for (const e of batch.queue) void tx.objectStore('outbox').add(e);
      for (const s of batch.sessions) void tx.objectStore('sessions').put(s);
      for (const d of batch.drafts) {
        if (d.text) void tx.objectStore('drafts').put(d);
        else void tx.objectStore('drafts').delete(d.chat_id);
      }
      const checked =
        streamed.length + batch.updates.length + batch.resume.length + batch.dequeue.length + batch.workspace.length;
      if (checked === 0) tx.commit();
      await Promise.all([
        ...batch.updates.map(async (m) => {
          const stored = await tx.objectStore('messages').get([m.chat_id, m.id]);
          if (stored && !isOlder(m, stored)) await tx.objectStore('messages').put(m);
        }),
        ...streamed.map(async (m) => {
          const stored = await tx.objectStore('messages').get([m.chat_id, m.id]);
          if (!stored || !isOlder(m, stored)) await tx.objectStore('messages').put(m);
        }),
        ...batch.resume.map(async (r) => {
          const current = await tx.objectStore('resume').get(r.chat_id);
          if (!current || current.epoch !== r.epoch || current.seq < r.seq) await tx.objectStore('resume').put(r);
        }),
        ...batch.dequeue.map(async (id) => {
          const key = await tx.objectStore('outbox').index('by-client-msg').getKey(id);
          if (key !== undefined) await tx.objectStore('outbox').delete(key);
        }),
        ...batch.workspace.map(async (r) => {
          const stored = await tx.objectStore('workspace').get(r.chat);
          await tx.objectStore('workspace').put(stored ? mergeRecords(stored, r) : r);
        }),
      ]);
      await tx.done;
    });
  }

  /** Deletes a message with its pin and its files (which belong to it alone); returns what it deleted (for undo). */
  deleteMessage(chatId: string, id: string): Promise<Deleted> {
    return this.write(async () => {
      const tx = this.db.transaction(['messages', 'pins', 'attachments'], 'readwrite');
      const [message, pin] = await Promise.all([
        tx.objectStore('messages').get([chatId, id]),
        tx.objectStore('pins').get([chatId, id]),
      ]);
      const attachments: StoredAttachment[] = [];
      for (const a of message?.attachments ?? []) {
        const file = await tx.objectStore('attachments').get(a.id);
        if (file) attachments.push(file);
        void tx.objectStore('attachments').delete(a.id);
      }
      void tx.objectStore('messages').delete([chatId, id]);
      void tx.objectStore('pins').delete([chatId, id]);
      await tx.done;
      return compactDeleted({ messages: message ? [message] : [], pins: pin ? [pin] : [], attachments });
    });
  }

  // ---- pins, drafts, attachments ----

  listPins(chatId: string): Promise<Pin[]> {
    return this.db.getAllFromIndex('pins', 'by-chat', chatId);
  }

  setPinned(chatId: string, messageId: string, pinned: boolean): Promise<void> {
    return this.write(async () => {
      if (pinned) await this.db.put('pins', { chat_id: chatId, message_id: messageId, pinned_at: Date.now() });
      else await this.db.delete('pins', [chatId, messageId]);
    });
  }

  getDraft(chatId: string): Promise<Draft | undefined> {
    return this.db.get('drafts', chatId);
  }

  getAttachment(id: string): Promise<StoredAttachment | undefined> {
    return this.db.get('attachments', id);
  }

  /** A chat's stored files (for export). */
  listAttachments(chatId: string): Promise<StoredAttachment[]> {
    return this.db.getAllFromIndex('attachments', 'by-chat', chatId);
  }

  /** Every stored message of every chat (for the search index). */
  allMessages(): Promise<LocalMessage[]> {
    return this.db.getAll('messages');
  }

  /**
   * Adds imported chats in one transaction: only records not stored yet (by key), so importing the same file
   * twice adds nothing and never overwrites what this device has. Returns how many messages were new. `share`
   * names the outbox entries that take a chat's new messages to the relay: queued in the same transaction, so an
   * import is never kept here and forgotten for the other devices.
   */
  importChats(
    chats: { session: Session; messages: LocalMessage[]; pins: Pin[]; attachments: StoredAttachment[] }[],
    share: (chatId: string, added: LocalMessage[]) => OutboxEntry[] = () => [],
  ): Promise<number> {
    return this.write(async () => {
      const tx = this.db.transaction(['sessions', 'messages', 'pins', 'attachments', 'outbox'], 'readwrite');
      let added = 0;
      for (const chat of chats) {
        const fresh: LocalMessage[] = [];
        const sessions = tx.objectStore('sessions');
        if ((await sessions.getKey(chat.session.id)) === undefined) void sessions.put(chat.session);
        for (const a of chat.attachments) {
          if ((await tx.objectStore('attachments').getKey(a.id)) === undefined)
            void tx.objectStore('attachments').put(a);
        }
        for (const m of chat.messages) {
          if ((await tx.objectStore('messages').getKey([m.chat_id, m.id])) !== undefined) continue;
          void tx.objectStore('messages').put(m);
          fresh.push(m);
          added++;
        }
        for (const p of chat.pins) void tx.objectStore('pins').put(p);
        for (const e of share(chat.session.id, fresh)) void tx.objectStore('outbox').add(e);
      }
      await tx.done;
      return added;
    });
  }

  // ---- outbox ----

  /**
   * Queues frames ahead of everything already queued (keys below the lowest), skipping any already there:
   * messages the relay lost must reach it again before ones written after them.
   */
  enqueueFirst(entries: OutboxEntry[]): Promise<void> {
    return this.write(async () => {
      const tx = this.db.transaction('outbox', 'readwrite');
      const first = await tx.store.openCursor();
      let key = (typeof first?.key === 'number' ? first.key : 1) - entries.length;
      for (const entry of entries) {
        const at = key++;
        if ((await tx.store.index('by-client-msg').getKey(entry.client_msg_id)) !== undefined) continue;
        const { seq: _seq, ...rest } = entry;
        void tx.store.put({ ...rest, seq: at });
      }
      await tx.done;
    });
  }

  /** Queued frames, in the order they were written. */
  listOutbox(): Promise<OutboxEntry[]> {
    return this.db.getAll('outbox');
  }

  // ---- resume points and settings ----

  /** Where every chat stands in the relay stream: all a subscribe needs, read once at start. */
  listResume(): Promise<ResumePoint[]> {
    return this.db.getAll('resume');
  }

  /** Every chat's workspace record, tombstones included: read once at start. */
  listWorkspace(): Promise<WorkspaceRecord[]> {
    return this.db.getAll('workspace');
  }

  async getSettings(): Promise<Settings> {
    return { ...DEFAULT_SETTINGS, ...(await this.db.get('settings', 'settings')) };
  }

  putSettings(settings: Settings): Promise<void> {
    return this.write(async () => void (await this.db.put('settings', settings, 'settings')));
  }

  /** Deletes every record in every store. */
  clearAll(): Promise<void> {
    return this.write(async () => {
      const names = [...this.db.objectStoreNames];
      const tx = this.db.transaction(names, 'readwrite');
      for (const name of names) void tx.objectStore(name).clear();
      await tx.done;
    });
  }
}
