/** The app's state: sessions, the chats in memory, storage problems; components read it, user actions go through it. */

import { FIELD, pinField } from '../../shared/index.ts';
import type { FieldValue } from '../../shared/workspace.ts';
import type { Applied } from './apply-event.ts';
import { ChatCache, type CacheEvent } from './chat-cache.ts';
import type { DbReader } from './db.ts';
import { newChatId } from './ids.ts';
import { LocalData, type ChatArchive, type TabChange } from './local-data.ts';
import { newSession, preview, SessionBook, TITLE_CHARS } from './session-book.ts';
import { StorageError } from './storage-error.ts';
import type { LocalMessage, Session } from './types.ts';

export { sortSessions } from './session-book.ts';

/** What other tabs of this app are told: a write (with its records), or that everything was deleted. */
export type LocalChange = TabChange | { kind: 'imported'; chats: string[] } | { kind: 'cleared' };

/** Chats whose whole history stays in memory; the least recently opened idle one leaves first. */
export const OPEN_CHATS = 8;

/** Puts back what a delete took, on this device and in its other tabs. */
export type Undo = () => Promise<void>;

/** Dispatches `change` (something visible changed, at most once per animation frame). */
export class ChatStore extends EventTarget {
  /** Local data changed that other tabs should apply. */
  readonly localListeners = new Set<(change: LocalChange) => void>();
  /** A polite announcement for screen readers (a finished reply, not every token). */
  readonly announceListeners = new Set<(text: string) => void>();
  /** The only writer of IndexedDB. */
  readonly data: LocalData;
  /** The session list every device shares (the workspace) and what this device derived of each chat. */
  readonly book: SessionBook;
  /** A chat's live events skipped a seq (frames were lost): the sync resubscribes it from its cursor. */
  onGap: (chatId: string) => void = () => {};
  /** Problems the user must know about (storage full, blocked upgrade...), newest last. */
  problems: string[] = [];
  private readonly chats = new Map<string, ChatCache>();
  /** Where each chat stood in the relay stream at start: all a subscribe needs. */
  private cursors = new Map<string, { epoch: string; seq: number }>();
  /** Opened chats, least recently opened first. */
  private recent: string[] = [];
  private frame = 0;

  /** `db` goes straight to the data layer, its only user here. */
  constructor(db: ConstructorParameters<typeof LocalData>[0]) {
    super();
    this.data = new LocalData(
      db,
      (err) => this.reportError(err),
      (change) => this.emitLocal(change),
    );
    this.book = new SessionBook({
      data: this.data,
      forget: (id) => this.forgetChat(id),
      pin: (chatId, messageId, pinned) => this.pinLocally(chatId, messageId, pinned),
      changed: () => this.changed(),
    });
  }

  /** The sidebar: every chat of the workspace and of this device, deleted ones left out. */
  get sessions(): Session[] {
    return this.book.sessions;
  }

  /** Reads for modules that only read (search, export, files); null without storage. */
  get reader(): DbReader | null {
    return this.data.available ? this.data : null;
  }

  /** Export and import; null without storage. */
  get archive(): ChatArchive | null {
    return this.data.available ? this.data : null;
  }

  async init(): Promise<void> {
    if (!this.data.available) return;
    try {
      const [sessions, resume, records] = await Promise.all([
        this.data.listSessions(),
        this.data.listResume(),
        this.data.listWorkspace(),
      ]);
      await this.book.load(sessions, records);
      this.cursors = new Map(resume.map((r) => [r.chat_id, { epoch: r.epoch, seq: r.seq }]));
    } catch (err) {
      this.reportError(err);
    }
    this.changed();
  }

  /** The chat as followed: its cursor and what events brought into memory, without reading its history. */
  cache(chatId: string): ChatCache {
    let cache = this.chats.get(chatId);
    if (!cache) {
      cache = new ChatCache(
        chatId,
        {
          data: this.data,
          onError: (err) => this.reportError(err),
          onApplied: (c, applied) => this.onApplied(c, applied),
          onGap: (c) => this.onGap(c.chatId),
          onFirstPage: () => this.changed(),
        },
        this.cursors.get(chatId),
      );
      this.chats.set(chatId, cache);
    }
    return cache;
  }

  /** The chat as a view shows it: its history read (once), and kept in memory among the recently opened. */
  chat(chatId: string): ChatCache {
    const cache = this.cache(chatId);
    if (this.recent[this.recent.length - 1] !== chatId) {
      this.recent = [...this.recent.filter((id) => id !== chatId), chatId];
      this.evict();
    }
    if (!cache.isLoaded) void cache.open().then(() => this.changed());
    return cache;
  }

  /** The chat with its whole history read, for work that needs all of it (context for a send, a repair). */
  async opened(chatId: string): Promise<ChatCache> {
    const cache = this.chat(chatId);
    await cache.open();
    return cache;
  }

  /** Lets the least recently opened chats beyond `OPEN_CHATS` leave memory; a busy one stays until it is idle. */
  private evict(): void {
    let over = this.recent.length - OPEN_CHATS;
    for (const id of [...this.recent]) {
      if (over <= 0) break;
      const cache = this.chats.get(id);
      if (cache && !cache.isIdle) continue;
      this.recent = this.recent.filter((o) => o !== id);
      over--;
      if (!cache) continue;
      if (cache.cursor) this.cursors.set(id, cache.cursor);
      // What it changed is written first, so the next open reads it back.
      void this.data.flush();
      this.chats.delete(id);
    }
  }

  /** How many chats hold their whole history in memory (for tests and the structure benchmark). */
  get loadedChats(): number {
    return [...this.chats.values()].filter((c) => c.isLoaded).length;
  }

  session(chatId: string): Session | undefined {
    return this.sessions.find((s) => s.id === chatId);
  }

  /** True when the workspace says the chat was deleted (its link shows that, with Restore). */
  isDeleted(chatId: string): boolean {
    return this.book.isDeleted(chatId);
  }

  applyRelayEvent(event: CacheEvent): void {
    // The workspace channel's changes merge in any order; the channel's cache keeps only its cursor.
    if (event.type === 'workspace') this.book.receive(event.changes);
    // A deleted chat takes nothing more here (a replay may still be on its way when the tombstone lands).
    else if (this.book.isDeleted(event.chat_id)) return;
    this.cache(event.chat_id).apply(event);
  }

  // ---- sessions ----

  async createSession(id = newChatId(), title = 'New chat'): Promise<Session> {
    const session = newSession(id, title);
    await this.saveSession(session);
    return session;
  }

  /** Renames a chat on every device (the workspace's `title`). */
  async renameSession(id: string, title: string): Promise<void> {
    const s = this.session(id);
    const clean = title.trim().slice(0, 200);
    if (!s || !clean) return;
    const next = { ...(this.book.mine(id) ?? s), title: clean, titled: true };
    this.book.put([next]);
    await this.book.write(id, { [FIELD.title]: clean }, { sessions: [next] });
  }

  /** Sets a chat's settings (model, system prompt, parameters) on every device; null puts one back to the default. */
  async setChatSettings(id: string, fields: Record<string, FieldValue>): Promise<void> {
    if (Object.keys(fields).length) await this.book.write(id, fields);
  }

  async setSessionPinned(id: string, pinned: boolean): Promise<void> {
    const s = this.session(id);
    if (!s) return;
    const next = { ...(this.book.mine(id) ?? s), pinned };
    this.book.put([next]);
    await this.book.write(id, { [FIELD.pinned]: pinned }, { sessions: [next] });
  }

  /**
   * Deletes a chat on every device: its tombstone is written first, then what this device holds goes. Resolves to
   * its undo, which puts that back and writes a newer "not deleted".
   */
  async deleteSession(id: string): Promise<Undo | undefined> {
    this.forgetChat(id);
    await this.book.write(id, { [FIELD.deleted]: true });
    const deleted = await this.data.deleteSession(id);
    if (!deleted) return undefined;
    return async () => {
      await this.data.restore(deleted);
      if (deleted.resume) this.cursors.set(id, { epoch: deleted.resume.epoch, seq: deleted.resume.seq });
      if (deleted.session) this.putSessions([deleted.session]);
      await this.book.write(id, { [FIELD.deleted]: false });
    };
  }

  /** Brings a deleted chat back everywhere (a newer write than its deletion); the relay still has its history. */
  async restoreSession(id: string): Promise<void> {
    await this.book.write(id, { [FIELD.deleted]: false });
    this.book.onFound(id);
  }

  private forgetChat(id: string): void {
    this.book.drop(id);
    this.chats.delete(id);
    this.cursors.delete(id);
    this.recent = this.recent.filter((o) => o !== id);
    this.changed();
  }

  /**
   * The session after activity in its chat: recency, preview, and a title from the first user message. Kept in
   * memory at once (a replay touches it once per message, in order); the caller writes it.
   */
  touched(chatId: string, message: LocalMessage): Session {
    // A chat first seen through its messages (a replay) dates from them, not from when this device read them.
    const s = this.book.mine(chatId) ?? {
      ...newSession(chatId),
      created_at: message.created_at,
      updated_at: message.created_at,
    };
    const next: Session = { ...s, updated_at: Math.max(s.updated_at, message.created_at) };
    if (message.text) next.preview = preview(message.text);
    if (!s.titled && message.role === 'user' && message.text.trim() && s.title === 'New chat') {
      next.title = preview(message.text).slice(0, TITLE_CHARS);
    }
    this.putSessions([next]);
    return next;
  }

  private async saveSession(session: Session): Promise<void> {
    this.putSessions([session]);
    await this.data.commit({ sessions: [session], announce: true });
  }

  private putSessions(list: Session[]): void {
    this.book.put(list);
    this.changed();
  }

  /** Another tab wrote: take its records as they are (nothing is reread). */
  receive(change: TabChange): void {
    if (change.sessions) this.putSessions(change.sessions);
    if (change.workspace) this.book.receiveFromTab(change.workspace);
    for (const d of change.drafts ?? []) this.data.noteDraft(d.chat_id, d.text);
    for (const id of change.deletedSessions ?? []) this.forgetChat(id);
    const byChat = new Map<string, LocalMessage[]>();
    for (const m of change.messages ?? []) byChat.set(m.chat_id, [...(byChat.get(m.chat_id) ?? []), m]);
    for (const [chatId, list] of byChat) this.chats.get(chatId)?.merge(list);
    for (const { chat_id, id } of change.removed ?? []) this.chats.get(chat_id)?.remove(id);
    for (const { chat_id, message_id, pinned } of change.pins ?? []) this.pinLocally(chat_id, message_id, pinned);
    this.changed();
  }

  private pinLocally(chatId: string, messageId: string, pinned: boolean): void {
    const cache = this.chats.get(chatId);
    if (!cache) return;
    const pins = new Set(cache.pins);
    if (pinned) pins.add(messageId);
    else pins.delete(messageId);
    cache.setPins(pins);
  }

  /**
   * An import wrote chats straight to the database (data-dialog): the session list is read again, and imported
   * chats in memory leave it, so opening them reads what the file added. Other tabs are told to do the same.
   */
  async afterImport(chats: readonly string[], fromOtherTab = false): Promise<void> {
    const sessions = await this.guard(() => this.data.listSessions());
    if (sessions) this.book.put(sessions);
    // The importing tab names the new chats to the workspace; the others learn of them from it.
    if (sessions && !fromOtherTab) {
      const named = new Set(chats.filter((id) => !this.isDeleted(id)));
      await this.book.adoptImported(sessions.filter((s) => named.has(s.id)));
    }
    for (const id of chats) {
      // A chat deleted in the workspace stays deleted: what the file brought back of it goes again.
      if (this.isDeleted(id)) {
        this.forgetChat(id);
        if (!fromOtherTab) await this.data.deleteSession(id);
        continue;
      }
      const cache = this.chats.get(id);
      if (cache?.cursor) this.cursors.set(id, cache.cursor);
      if (cache?.isIdle) this.chats.delete(id);
      this.recent = this.recent.filter((r) => r !== id);
    }
    this.changed();
    if (!fromOtherTab) this.emitLocal({ kind: 'imported', chats: [...chats] });
  }

  // ---- messages ----

  async setMessagePinned(chatId: string, id: string, pinned: boolean): Promise<void> {
    const cache = this.cache(chatId);
    const pins = new Set(cache.pins);
    if (pinned) pins.add(id);
    else pins.delete(id);
    cache.setPins(pins);
    this.changed();
    await this.data.setPinned(chatId, id, pinned);
    await this.book.write(chatId, { [pinField(id)]: pinned });
  }

  /** Deletes a message on this device; resolves to its undo (none without storage). */
  async deleteMessage(chatId: string, id: string): Promise<Undo | undefined> {
    const cache = this.cache(chatId);
    const message = cache.get(id);
    cache.remove(id);
    this.changed();
    const deleted = await this.data.deleteMessage(chatId, id);
    const kept = deleted?.messages[0] ?? message;
    if (!deleted || !kept) return undefined;
    return async () => {
      await this.data.restore({ ...deleted, messages: [kept] });
      const restored = this.cache(chatId);
      if (!restored.get(id)) restored.upsertLocal(kept, false);
      restored.setPins([...restored.pins, ...deleted.pins.map((p) => p.message_id)]);
      this.changed();
    };
  }

  /** Deletes every chat, setting and queued message on this device. */
  async clearAll(fromOtherTab = false): Promise<void> {
    this.book.clear();
    this.chats.clear();
    this.cursors.clear();
    this.recent = [];
    this.changed();
    if (fromOtherTab) return;
    await this.data.clearAll();
    this.emitLocal({ kind: 'cleared' });
  }

  // ---- problems and notifications ----

  reportError(err: unknown): void {
    const text =
      err instanceof StorageError
        ? err.message
        : `Something went wrong: ${err instanceof Error ? err.message : String(err)}`;
    if (!this.problems.includes(text)) this.problems = [...this.problems, text];
    this.changed();
  }

  dismissProblem(text: string): void {
    this.problems = this.problems.filter((p) => p !== text);
    this.changed();
  }

  async guard<T>(fn: () => Promise<T> | undefined): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      this.reportError(err);
      return undefined;
    }
  }

  private onApplied(cache: ChatCache, applied: Applied): void {
    // The chat's newest message, once whole (a send, a finished reply, a replayed message of any device). A chat
    // not open holds only what events brought, in stream order, so its latest activity is its newest.
    const latest = applied.activity;
    const newest = cache.messages[cache.messages.length - 1];
    if (latest && (!cache.isLoaded || latest.id === newest?.id)) {
      this.data.stage({ sessions: [this.touched(cache.chatId, latest)] });
    }
    // Every device that sees the event writes the same value; one already written is not written again.
    if (applied.title !== undefined && this.book.field(cache.chatId, FIELD.agentTitle) !== applied.title) {
      void this.guard(() => this.book.write(cache.chatId, { [FIELD.agentTitle]: applied.title ?? '' }));
    }
    if (applied.finished) {
      const title = this.session(cache.chatId)?.title ?? 'chat';
      const state = applied.finished.state;
      const how = state === 'stopped' ? 'was stopped' : state === 'error' ? 'failed' : 'finished';
      for (const fn of this.announceListeners) fn(`Reply in “${title}” ${how}.`);
    }
    this.changed();
  }

  emitLocal(change: LocalChange): void {
    for (const fn of this.localListeners) fn(change);
  }

  /** Coalesces change notifications to one per animation frame (and still fires in hidden tabs). */
  changed(): void {
    if (this.frame) return;
    const fire = () => {
      cancelAnimationFrame(this.frame);
      clearTimeout(timeout);
      this.frame = 0;
      this.dispatchEvent(new Event('change'));
    };
    this.frame = requestAnimationFrame(fire);
    const timeout = setTimeout(fire, 250);
  }
}
