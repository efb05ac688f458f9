/** The app's state: sessions, the chats in memory, storage problems; components read it, user actions go through it. */

import type { Applied } from './apply-event.ts';
import { ChatCache, type CacheEvent } from './chat-cache.ts';
import type { ParleyDb } from './db.ts';
import { newChatId } from './ids.ts';
import { StorageError } from './storage-error.ts';
import type { LocalMessage, Session } from './types.ts';

export type LocalChange =
  | { kind: 'sessions' }
  | { kind: 'messages'; chat_id: string }
  | { kind: 'message-deleted'; chat_id: string; id: string }
  | { kind: 'pins'; chat_id: string }
  | { kind: 'outbox' }
  | { kind: 'cleared' };

const TITLE_CHARS = 48;

/** Puts back what a delete took, on this device and in its other tabs. */
export type Undo = () => Promise<void>;

/** One line of plain-ish text: markdown markers and table pipes are noise in a sidebar. */
function preview(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`|]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

function newSession(id: string, title = 'New chat'): Session {
  const now = Date.now();
  return { id, title, titled: false, pinned: false, created_at: now, updated_at: now, preview: '' };
}

/** Sidebar order: pinned first, then most recently active. */
export function sortSessions(list: Session[]): Session[] {
  return [...list].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updated_at - a.updated_at);
}

/** Dispatches `change` (something visible changed, at most once per animation frame). */
export class ChatStore extends EventTarget {
  /** Local data changed that other tabs should reload. */
  readonly localListeners = new Set<(change: LocalChange) => void>();
  /** A polite announcement for screen readers (a finished reply, not every token). */
  readonly announceListeners = new Set<(text: string) => void>();
  sessions: Session[] = [];
  /** A chat's live events skipped a seq (frames were lost): the sync resubscribes it from its cursor. */
  onGap: (chatId: string) => void = () => {};
  /** Problems the user must know about (storage full, blocked upgrade...), newest last. */
  problems: string[] = [];
  private readonly chats = new Map<string, ChatCache>();
  private frame = 0;

  constructor(readonly db: ParleyDb | null) {
    super();
  }

  async init(): Promise<void> {
    if (!this.db) return;
    try {
      this.sessions = sortSessions(await this.db.listSessions());
    } catch (err) {
      this.reportError(err);
    }
    this.changed();
  }

  /** The chat's cache, created (and loading) on first use. */
  chat(chatId: string): ChatCache {
    let cache = this.chats.get(chatId);
    if (!cache) {
      cache = new ChatCache(
        chatId,
        this.db,
        (err) => this.reportError(err),
        (c, applied) => this.onApplied(c, applied),
        (c) => this.onGap(c.chatId),
        () => this.changed(),
      );
      this.chats.set(chatId, cache);
      void cache.load().then(() => this.changed());
    }
    return cache;
  }

  session(chatId: string): Session | undefined {
    return this.sessions.find((s) => s.id === chatId);
  }

  applyRelayEvent(event: CacheEvent): void {
    this.chat(event.chat_id).apply(event);
  }

  // ---- sessions ----

  async createSession(id = newChatId(), title = 'New chat'): Promise<Session> {
    const session = newSession(id, title);
    await this.saveSession(session);
    return session;
  }

  async renameSession(id: string, title: string): Promise<void> {
    const s = this.session(id);
    const clean = title.trim().slice(0, 200);
    if (s && clean) await this.saveSession({ ...s, title: clean, titled: true });
  }

  async setSessionPinned(id: string, pinned: boolean): Promise<void> {
    const s = this.session(id);
    if (s) await this.saveSession({ ...s, pinned });
  }

  /** Deletes a chat on this device; resolves to its undo (undefined when nothing could be kept to put back). */
  async deleteSession(id: string): Promise<Undo | undefined> {
    this.sessions = this.sessions.filter((s) => s.id !== id);
    this.chats.delete(id);
    this.changed();
    const deleted = await this.guard(() => this.db?.deleteSession(id));
    this.emitLocal({ kind: 'sessions' });
    if (!deleted?.session) return undefined;
    const session = deleted.session;
    return async () => {
      await this.guard(() => this.db?.restore(deleted));
      this.sessions = sortSessions([...this.sessions.filter((s) => s.id !== id), session]);
      this.changed();
      this.emitLocal({ kind: 'sessions' });
      this.emitLocal({ kind: 'outbox' });
    };
  }

  /** Records activity in a chat: recency, preview, and a title from the first user message. */
  async touchSession(chatId: string, message: LocalMessage): Promise<void> {
    // No await before the session is updated in memory: a replay touches it once per message, in order.
    const s = this.session(chatId) ?? newSession(chatId);
    const next: Session = { ...s, updated_at: Math.max(s.updated_at, message.created_at) };
    if (message.text) next.preview = preview(message.text);
    if (!s.titled && message.role === 'user' && message.text.trim() && s.title === 'New chat') {
      next.title = preview(message.text).slice(0, TITLE_CHARS);
    }
    await this.saveSession(next);
  }

  private async saveSession(session: Session): Promise<void> {
    this.sessions = sortSessions([...this.sessions.filter((s) => s.id !== session.id), session]);
    this.changed();
    await this.guard(() => this.db?.putSession(session));
    this.emitLocal({ kind: 'sessions' });
  }

  /** Another tab changed sessions: reread them. */
  async reloadSessions(): Promise<void> {
    if (!this.db) return;
    this.sessions = sortSessions(await this.db.listSessions());
    this.changed();
  }

  /** Another tab added local messages (a pending send): merge what is not here yet. */
  async reloadMessages(chatId: string): Promise<void> {
    const cache = this.chats.get(chatId);
    if (!cache || !this.db) return;
    const stored = await this.db.loadMessages(chatId);
    // A local copy (pending, or acked) whose relay version already arrived here (by client_msg_id) is stale, not new.
    const delivered = new Set([...cache.live.messages.values()].map((m) => m.client_msg_id));
    for (const m of stored) {
      const mine = cache.live.messages.get(m.id);
      if (delivered.has(m.id) && !mine) continue;
      if (!mine || (mine.state === 'pending' && m.state !== 'pending')) cache.upsertLocal(m, false);
    }
    cache.pins = new Set((await this.db.listPins(chatId)).map((p) => p.message_id));
    this.changed();
  }

  // ---- messages ----

  async setMessagePinned(chatId: string, id: string, pinned: boolean): Promise<void> {
    const cache = this.chat(chatId);
    cache.pins = new Set(cache.pins);
    if (pinned) cache.pins.add(id);
    else cache.pins.delete(id);
    this.changed();
    await this.guard(() => this.db?.setPinned(chatId, id, pinned));
    this.emitLocal({ kind: 'pins', chat_id: chatId });
  }

  /** Deletes a message on this device; resolves to its undo (none for another tab's deletion, or without storage). */
  async deleteMessage(chatId: string, id: string, fromOtherTab = false): Promise<Undo | undefined> {
    const cache = this.chat(chatId);
    const message = cache.live.messages.get(id);
    cache.remove(id);
    cache.pins = new Set([...cache.pins].filter((p) => p !== id));
    this.changed();
    if (fromOtherTab) return undefined;
    const deleted = await this.guard(() => this.db?.deleteMessage(chatId, id));
    this.emitLocal({ kind: 'message-deleted', chat_id: chatId, id });
    const kept = deleted?.messages[0] ?? message;
    if (!deleted || !kept) return undefined;
    return async () => {
      await this.guard(() => this.db?.restore({ ...deleted, messages: [kept] }));
      const restored = this.chat(chatId);
      if (!restored.live.messages.has(id)) restored.upsertLocal(kept, false);
      restored.pins = new Set([...restored.pins, ...deleted.pins.map((p) => p.message_id)]);
      this.changed();
      this.emitLocal({ kind: 'messages', chat_id: chatId });
    };
  }

  /** Deletes every chat, setting and queued message on this device. */
  async clearAll(fromOtherTab = false): Promise<void> {
    this.sessions = [];
    this.chats.clear();
    this.changed();
    if (fromOtherTab) return;
    await this.guard(() => this.db?.clearAll());
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
    // The newest message of the chat, once whole (a send, a finished reply, a replayed message of any device).
    const latest = applied.changed[applied.changed.length - 1];
    const newest = cache.messages[cache.messages.length - 1];
    if (latest && latest.id === newest?.id && (latest.state !== 'streaming' || latest.role === 'user')) {
      void this.touchSession(cache.chatId, latest);
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
