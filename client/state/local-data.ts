/**
 * The data layer: the one writer of IndexedDB. Changes are gathered and written together (one transaction per
 * flush), and what other tabs must learn is posted once per flush, carrying the records so they need not reread.
 */

import { emptyBatch, type Batch, type DbReader, type Deleted, type ParleyDb } from './db.ts';
import { mergeRecords, type WorkspaceRecord } from '../../shared/index.ts';
import type { LocalMessage, OutboxEntry, Pin, ResumePoint, Session, Settings, StoredAttachment } from './types.ts';

/** What this tab wrote that other tabs of the app show: the records themselves, not "go and reread". */
export interface TabChange {
  kind: 'wrote';
  messages?: LocalMessage[];
  removed?: { chat_id: string; id: string }[];
  sessions?: Session[];
  deletedSessions?: string[];
  pins?: { chat_id: string; message_id: string; pinned: boolean }[];
  drafts?: { chat_id: string; text: string }[];
  /** The outbox changed: other tabs reread it (a few small records). */
  outbox?: true;
  /** Workspace records this tab changed (merged there like any copy). */
  workspace?: WorkspaceRecord[];
}

/** The changes a write asks for; `announce` parts also go to other tabs. */
export interface Change {
  messages?: LocalMessage[];
  /** Changes to stored relay messages: written only where the message is still stored (see `Batch.updates`). */
  updates?: LocalMessage[];
  removed?: [string, string][];
  attachments?: StoredAttachment[];
  resume?: ResumePoint;
  queue?: OutboxEntry[];
  dequeue?: string[];
  sessions?: Session[];
  drafts?: { chat_id: string; text: string }[];
  workspace?: WorkspaceRecord[];
  /** Tell other tabs about these messages, sessions, drafts and queue entries (not for relay events: they get those). */
  announce?: boolean;
}

/** What export and import use: reads, and the import's own write (only records not stored yet). */
export type ChatArchive = DbReader & Pick<LocalData, 'importChats'>;

const key = (chatId: string, id: string) => `${chatId} ${id}`;

export class LocalData implements DbReader {
  /** What waits to be written, keyed so a later change to a record replaces an earlier one. */
  private messages = new Map<string, LocalMessage>();
  private updates = new Map<string, LocalMessage>();
  private removed = new Map<string, [string, string]>();
  private attachments: StoredAttachment[] = [];
  private resume = new Map<string, ResumePoint>();
  private queue: OutboxEntry[] = [];
  private dequeue = new Set<string>();
  private sessions = new Map<string, Session>();
  private drafts = new Map<string, { chat_id: string; text: string; updated_at: number }>();
  private workspace = new Map<string, WorkspaceRecord>();
  private tab: TabChange = { kind: 'wrote' };
  /** The draft text last written (or waiting) per chat: writing the same again is skipped (a send clears it). */
  private readonly draftText = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private due = Infinity;

  constructor(
    private readonly db: ParleyDb | null,
    private readonly onError: (err: unknown) => void,
    private readonly post: (change: TabChange) => void,
  ) {}

  get available(): boolean {
    return this.db !== null;
  }

  /** Gathers a change, written within `delayMs` together with whatever else waits by then. */
  stage(change: Change, delayMs = 0): void {
    for (const m of change.messages ?? []) {
      const k = key(m.chat_id, m.id);
      this.removed.delete(k);
      this.messages.set(k, m);
    }
    for (const m of change.updates ?? []) {
      const k = key(m.chat_id, m.id);
      if (this.messages.has(k)) this.messages.set(k, m);
      else if (!this.removed.has(k)) this.updates.set(k, m);
    }
    for (const [chatId, id] of change.removed ?? []) {
      const k = key(chatId, id);
      // A change still waiting would bring the message back after its deletion.
      this.messages.delete(k);
      this.updates.delete(k);
      this.removed.set(k, [chatId, id]);
    }
    this.attachments.push(...(change.attachments ?? []));
    if (change.resume) this.resume.set(change.resume.chat_id, change.resume);
    this.queue.push(...(change.queue ?? []));
    for (const id of change.dequeue ?? []) this.dequeue.add(id);
    for (const s of change.sessions ?? []) this.sessions.set(s.id, s);
    for (const r of change.workspace ?? []) {
      const waiting = this.workspace.get(r.chat);
      this.workspace.set(r.chat, waiting ? mergeRecords(waiting, r) : r);
    }
    const drafts = (change.drafts ?? []).filter((d) => this.draftText.get(d.chat_id) !== d.text);
    for (const d of drafts) {
      this.draftText.set(d.chat_id, d.text);
      this.drafts.set(d.chat_id, { ...d, updated_at: Date.now() });
    }
    if (change.announce) this.announce({ ...change, drafts });
    this.schedule(delayMs);
  }

  /** Another tab wrote this draft: what is stored is its text now. */
  noteDraft(chatId: string, text: string): void {
    this.draftText.set(chatId, text);
  }

  /** Writes a change now, with everything waiting: the transaction is issued before this returns. */
  commit(change: Change): Promise<void> {
    this.stage(change, Infinity);
    return this.flush();
  }

  /** Writes everything waiting in one transaction and posts one change to other tabs. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = Infinity;
    const batch: Batch = {
      ...emptyBatch(),
      messages: [...this.messages.values()],
      updates: [...this.updates.values()],
      removed: [...this.removed.values()],
      attachments: this.attachments,
      resume: [...this.resume.values()],
      queue: this.queue,
      dequeue: [...this.dequeue],
      sessions: [...this.sessions.values()],
      drafts: [...this.drafts.values()],
      workspace: [...this.workspace.values()],
    };
    const tab = this.tab;
    this.messages = new Map();
    this.updates = new Map();
    this.removed = new Map();
    this.attachments = [];
    this.resume = new Map();
    this.queue = [];
    this.dequeue = new Set();
    this.sessions = new Map();
    this.drafts = new Map();
    this.workspace = new Map();
    this.tab = { kind: 'wrote' };
    const written = this.db ? this.db.commit(batch) : Promise.resolve();
    return written.then(
      () => {
        if (Object.keys(tab).length > 1) this.post(tab);
      },
      (err: unknown) => this.onError(err),
    );
  }

  private announce(change: Change): void {
    const tab = this.tab;
    if (change.messages?.length) tab.messages = [...(tab.messages ?? []), ...change.messages];
    if (change.removed?.length) {
      tab.removed = [...(tab.removed ?? []), ...change.removed.map(([chat_id, id]) => ({ chat_id, id }))];
    }
    if (change.sessions?.length) tab.sessions = [...(tab.sessions ?? []), ...change.sessions];
    if (change.drafts?.length) tab.drafts = [...(tab.drafts ?? []), ...change.drafts];
    if (change.queue?.length || change.dequeue?.length) tab.outbox = true;
    if (change.workspace?.length) tab.workspace = [...(tab.workspace ?? []), ...change.workspace];
  }

  private schedule(delayMs: number): void {
    if (delayMs === Infinity) return;
    const at = Date.now() + delayMs;
    if (this.timer !== undefined && this.due <= at) return;
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  // ---- writes that read first (their result is needed), each its own transaction after what waits ----

  async deleteSession(chatId: string): Promise<Deleted | undefined> {
    for (const [k, m] of this.messages) if (m.chat_id === chatId) this.messages.delete(k);
    for (const [k, m] of this.updates) if (m.chat_id === chatId) this.updates.delete(k);
    this.resume.delete(chatId);
    this.sessions.delete(chatId);
    this.drafts.delete(chatId);
    await this.flush();
    const deleted = await this.guard(() => this.db?.deleteSession(chatId));
    this.post({ kind: 'wrote', deletedSessions: [chatId] });
    return deleted;
  }

  async deleteMessage(chatId: string, id: string): Promise<Deleted | undefined> {
    this.messages.delete(key(chatId, id));
    this.updates.delete(key(chatId, id));
    await this.flush();
    const deleted = await this.guard(() => this.db?.deleteMessage(chatId, id));
    this.post({ kind: 'wrote', removed: [{ chat_id: chatId, id }] });
    return deleted;
  }

  /** Puts back what a delete took (an undo) and tells other tabs what came back. */
  async restore(deleted: Deleted): Promise<void> {
    await this.flush();
    await this.guard(() => this.db?.restore(deleted));
    this.post({
      kind: 'wrote',
      ...(deleted.session ? { sessions: [deleted.session] } : {}),
      ...(deleted.messages.length ? { messages: deleted.messages } : {}),
      ...(deleted.pins.length ? { pins: deleted.pins.map((p) => ({ ...p, pinned: true })) } : {}),
      ...(deleted.outbox.length ? { outbox: true } : {}),
    });
  }

  async setPinned(chatId: string, messageId: string, pinned: boolean): Promise<void> {
    await this.guard(() => this.db?.setPinned(chatId, messageId, pinned));
    this.post({ kind: 'wrote', pins: [{ chat_id: chatId, message_id: messageId, pinned }] });
  }

  async enqueueFirst(entries: OutboxEntry[]): Promise<void> {
    await this.guard(() => this.db?.enqueueFirst(entries));
    this.post({ kind: 'wrote', outbox: true });
  }

  importChats(...args: Parameters<ParleyDb['importChats']>): Promise<number> {
    if (!this.db) return Promise.reject(new Error('Local storage is not available, so nothing can be imported.'));
    return this.db.importChats(...args);
  }

  async putSettings(settings: Settings): Promise<void> {
    await this.guard(() => this.db?.putSettings(settings));
  }

  async clearAll(): Promise<void> {
    this.messages.clear();
    this.updates.clear();
    this.removed.clear();
    this.attachments = [];
    this.resume.clear();
    this.queue = [];
    this.dequeue.clear();
    this.sessions.clear();
    this.drafts.clear();
    this.workspace.clear();
    this.draftText.clear();
    this.tab = { kind: 'wrote' };
    await this.guard(() => this.db?.clearAll());
  }

  private async guard<T>(fn: () => Promise<T> | undefined): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }

  // ---- reads (empty without storage) ----

  listSessions(): Promise<Session[]> {
    return this.db?.listSessions() ?? Promise.resolve([]);
  }
  loadMessages(chatId: string): Promise<LocalMessage[]> {
    return this.db?.loadMessages(chatId) ?? Promise.resolve([]);
  }
  loadLatestMessages(chatId: string, limit: number): Promise<LocalMessage[]> {
    return this.db?.loadLatestMessages(chatId, limit) ?? Promise.resolve([]);
  }
  getMessage(chatId: string, id: string): Promise<LocalMessage | undefined> {
    return this.db?.getMessage(chatId, id) ?? Promise.resolve(undefined);
  }
  listPins(chatId: string): Promise<Pin[]> {
    return this.db?.listPins(chatId) ?? Promise.resolve([]);
  }
  getAttachment(id: string): Promise<StoredAttachment | undefined> {
    return this.db?.getAttachment(id) ?? Promise.resolve(undefined);
  }
  listAttachments(chatId: string): Promise<StoredAttachment[]> {
    return this.db?.listAttachments(chatId) ?? Promise.resolve([]);
  }
  allMessages(): Promise<LocalMessage[]> {
    return this.db?.allMessages() ?? Promise.resolve([]);
  }
  listOutbox(): Promise<OutboxEntry[]> {
    return this.db?.listOutbox() ?? Promise.resolve([]);
  }
  listResume(): Promise<ResumePoint[]> {
    return this.db?.listResume() ?? Promise.resolve([]);
  }
  getDraft(chatId: string): ReturnType<ParleyDb['getDraft']> {
    return this.db?.getDraft(chatId) ?? Promise.resolve(undefined);
  }
  listWorkspace(): Promise<WorkspaceRecord[]> {
    return this.db?.listWorkspace() ?? Promise.resolve([]);
  }
  getSettings(): Promise<Settings> {
    if (!this.db) return Promise.reject(new Error('no storage'));
    return this.db.getSettings();
  }
}
