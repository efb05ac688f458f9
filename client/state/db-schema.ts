/** The database's typed schema and its versioned upgrades: each step moves a database one version on. */

import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { WorkspaceRecord } from '../../shared/index.ts';
import { attachmentId, renameFiles } from './attachment-ids.ts';
import type {
  Draft,
  LocalMessage,
  OutboxEntry,
  Pin,
  ResumePoint,
  Session,
  Settings,
  StoredAttachment,
} from './types.ts';

export interface ParleySchema extends DBSchema {
  sessions: { key: string; value: Session; indexes: { 'by-updated': number } };
  messages: {
    key: [string, string];
    value: LocalMessage;
    indexes: { 'by-chat': string; 'by-chat-time': [string, number] };
  };
  pins: { key: [string, string]; value: Pin; indexes: { 'by-chat': string } };
  attachments: { key: string; value: StoredAttachment; indexes: { 'by-chat': string } };
  drafts: { key: string; value: Draft };
  outbox: { key: number; value: OutboxEntry; indexes: { 'by-client-msg': string; 'by-chat': string } };
  resume: { key: string; value: ResumePoint };
  settings: { key: string; value: Settings };
  /** One record per chat of the synced workspace (shared/workspace.ts); a deleted chat's stays, as its tombstone. */
  workspace: { key: string; value: WorkspaceRecord };
}

export type Db = IDBPDatabase<ParleySchema>;
type Stores = StoreNames<ParleySchema>;
export type UpgradeTx = IDBPTransaction<ParleySchema, Stores[], 'versionchange'>;

export const DB_VERSION = 6;
export const CHAT_STORES = ['messages', 'pins', 'attachments', 'drafts', 'outbox', 'resume'] as const;

/** Each step moves a database from version i to i + 1; never edit a released step, add one. */
export const UPGRADES: ((db: Db, tx: UpgradeTx) => void)[] = [
  (db) => {
    db.createObjectStore('sessions', { keyPath: 'id' });
    db.createObjectStore('messages', { keyPath: ['chat_id', 'id'] }).createIndex('by-chat', 'chat_id');
    db.createObjectStore('pins', { keyPath: ['chat_id', 'message_id'] }).createIndex('by-chat', 'chat_id');
    db.createObjectStore('attachments', { keyPath: 'id' }).createIndex('by-chat', 'chat_id');
    db.createObjectStore('drafts', { keyPath: 'chat_id' });
    const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    outbox.createIndex('by-client-msg', 'client_msg_id', { unique: true });
    db.createObjectStore('resume', { keyPath: 'chat_id' });
    db.createObjectStore('settings');
  },
  (_db, tx) => {
    // v2: the sidebar sorts by recency, and deleting a chat must find its queued frames.
    tx.objectStore('sessions').createIndex('by-updated', 'updated_at');
    tx.objectStore('outbox').createIndex('by-chat', 'chat_id');
  },
  (_db, tx) => {
    // v3: opening a long chat reads its newest page first, without reading the whole history.
    tx.objectStore('messages').createIndex('by-chat-time', ['chat_id', 'created_at']);
  },
  (_db, tx) => {
    // v4: files were stored by the sender's id alone, so an agent sending the same id in two chats made them share
    // (or lose) one file. Each message's files get ids of their own; the bytes they shared are copied to each.
    void renameStoredFiles(tx).catch(() => tx.abort());
  },
  (_db, tx) => {
    // v5 (protocol 2, one id per message): the relay used to give a sent message an id of its own, naming the
    // client's in `client_msg_id`; a local copy stored beside that relay copy is dropped here, once.
    void dropRenamedCopies(tx).catch(() => tx.abort());
  },
  (db) => {
    // v6 (issue 15): the workspace every device shares. Chats stored before it are written to it by the app
    // (adoptSessions in workspace.ts), which stamps them with its clock: a migration has no clock.
    db.createObjectStore('workspace', { keyPath: 'chat' });
  },
];

async function dropRenamedCopies(tx: UpgradeTx): Promise<void> {
  const store = tx.objectStore('messages');
  const all = await store.getAll();
  const renamed = new Set(
    all.filter((m) => m.client_msg_id && m.client_msg_id !== m.id).map((m) => `${m.chat_id} ${m.client_msg_id}`),
  );
  for (const m of all) if (renamed.has(`${m.chat_id} ${m.id}`)) void store.delete([m.chat_id, m.id]);
}

async function renameStoredFiles(tx: UpgradeTx): Promise<void> {
  const store = tx.objectStore('attachments');
  const old = new Map((await store.getAll()).map((a) => [a.id, a]));
  await store.clear();
  const byChat = new Map<string, LocalMessage[]>();
  for (const m of await tx.objectStore('messages').getAll()) {
    if (m.attachments?.length) byChat.set(m.chat_id, [...(byChat.get(m.chat_id) ?? []), m]);
  }
  for (const [chatId, list] of byChat) {
    const renamed = renameFiles(chatId, list, (id) => old.get(id));
    for (const m of renamed.messages) void tx.objectStore('messages').put(m);
    for (const f of renamed.files) void store.put(f);
  }
  // A queued send names its files in the order its pending message lists them, under the message's own id.
  let cursor = await tx.objectStore('outbox').openCursor();
  while (cursor) {
    const entry = cursor.value;
    if (entry.kind === 'send' && entry.attachment_ids.length) {
      const ids = entry.attachment_ids.map((_, i) => attachmentId(entry.chat_id, entry.client_msg_id, i));
      void cursor.update({ ...entry, attachment_ids: ids });
    }
    cursor = await cursor.continue();
  }
}
