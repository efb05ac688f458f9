/** One chat held in memory: its messages in display order, where it stands in the relay stream, and its pending writes. */

import type { ChatEvent, ChatMessage } from '../../shared/index.ts';
import { applyEvent, applyUnreadable, fromChatMessage, type Applied, type ChatLive } from './apply-event.ts';
import { rememberAttachment } from './attachment-urls.ts';
import type { ParleyDb } from './db.ts';
import type { LocalMessage, ResumePoint, StoredAttachment } from './types.ts';
import type { UnreadableEvent } from './unreadable.ts';

/** What a chat applies: a relay event, or one the parser refused (which still takes its place in the stream). */
export type CacheEvent = ChatEvent | UnreadableEvent;

const PERSIST_DELAY_MS = 400;
/** Messages read ahead of the whole history when a chat opens: a chat view's full first window. */
const FIRST_PAGE = 60;

/** Resolves after the next frame is painted (or soon, in a hidden tab that paints none). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/**
 * Display order, the same on every tab and device: relay time; within one millisecond the user's message
 * before a reply, and the user's messages in the order the relay took them (their seq); then id.
 */
export function compareMessages(a: LocalMessage, b: LocalMessage): number {
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  if (a.role !== b.role) return a.role === 'user' ? -1 : 1;
  if (a.role === 'user' && a.epoch === b.epoch && a.seq !== undefined && b.seq !== undefined && a.seq !== b.seq) {
    return a.seq - b.seq;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Stored copies that a later write made obsolete: a pending copy whose relay version is stored too. */
function staleCopies(messages: LocalMessage[]): Set<string> {
  const delivered = new Set<string>();
  for (const m of messages) if (m.client_msg_id && m.client_msg_id !== m.id) delivered.add(m.client_msg_id);
  return new Set(messages.filter((m) => delivered.has(m.id)).map((m) => m.id));
}

/** A reply stored as streaming in a relay epoch this device has since left can never finish: say so. */
function lostIfStale(m: LocalMessage, resume: ResumePoint | undefined): LocalMessage {
  if (m.state !== 'streaming' || !resume || m.epoch === undefined || m.epoch === resume.epoch) return m;
  return { ...m, state: 'error', error: 'This reply was cut off when the relay restarted.', interrupted: true };
}

export class ChatCache {
  readonly live: ChatLive = { messages: new Map(), typing: false };
  pins = new Set<string>();
  /** Where this chat stands in the relay's event stream. */
  cursor: { epoch: string; seq: number } | undefined;
  /** A sentence shown above the messages, e.g. when the relay could not replay everything. */
  notice = '';
  /** The relay's newest seq when this chat was last subscribed: events up to it are a replay (with gaps from compaction). */
  replayHead = 0;
  /** Set when live events skipped a seq; cleared by the next subscribe, whose replay fills the gap. */
  gap = false;
  private sorted: LocalMessage[] | undefined;
  /** A fresh array per change, so views see a new value; copied at most once per read. */
  private snapshot: LocalMessage[] | undefined;
  private readonly dirty = new Map<string, LocalMessage>();
  private removed: string[] = [];
  private blobs: StoredAttachment[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  private loaded = false;
  private queued: CacheEvent[] = [];
  /** The newest stored messages, shown until the whole history is loaded. */
  private firstPage: LocalMessage[] = [];

  constructor(
    readonly chatId: string,
    private readonly db: ParleyDb | null,
    private readonly onError: (err: unknown) => void,
    private readonly onApplied: (cache: ChatCache, applied: Applied) => void,
    private readonly onGap: (cache: ChatCache) => void = () => {},
    /** The newest page was read and can be shown before the rest. */
    private readonly onFirstPage: (cache: ChatCache) => void = () => {},
  ) {}

  /**
   * Loads stored messages, pins and resume point once; events arriving meanwhile wait their turn. A long history
   * shows its newest page first (`shown`), and is read whole only after that page has painted.
   */
  load(): Promise<void> {
    this.loading ??= (async () => {
      if (this.db) {
        try {
          // The first page only speeds up the first paint; if it fails, the whole read below still decides.
          if (await this.readFirstPage(this.db).catch(() => false)) await afterPaint();
          const [messages, pins, resume] = await Promise.all([
            this.db.loadMessages(this.chatId),
            this.db.listPins(this.chatId),
            this.db.getResume(this.chatId),
          ]);
          const stale = staleCopies(messages);
          for (const m of messages) {
            if (stale.has(m.id)) this.forget(m.id);
            else if (!this.live.messages.has(m.id)) this.live.messages.set(m.id, lostIfStale(m, resume));
          }
          this.pins = new Set(pins.map((p) => p.message_id));
          if (resume && !this.cursor) this.cursor = { epoch: resume.epoch, seq: resume.seq };
          if (stale.size) this.schedulePersist(0);
        } catch (err) {
          this.onError(err);
        }
      }
      this.loaded = true;
      this.firstPage = [];
      this.sorted = this.snapshot = undefined;
      const queued = this.queued;
      this.queued = [];
      for (const event of queued) this.apply(event);
    })();
    return this.loading;
  }

  /** Reads the newest page for display; true when the history is longer than that page. */
  private async readFirstPage(db: ParleyDb): Promise<boolean> {
    const [page, pins, resume] = await Promise.all([
      db.loadLatestMessages(this.chatId, FIRST_PAGE),
      db.listPins(this.chatId),
      db.getResume(this.chatId),
    ]);
    if (this.loaded) return false;
    const stale = staleCopies(page);
    this.firstPage = page.filter((m) => !stale.has(m.id)).map((m) => lostIfStale(m, resume));
    this.firstPage.sort(compareMessages);
    this.pins = new Set(pins.map((p) => p.message_id));
    if (this.firstPage.length) this.onFirstPage(this);
    return page.length >= FIRST_PAGE;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** What a view shows: all messages once loaded; before that the newest stored page and anything added since. */
  get shown(): LocalMessage[] {
    if (this.loaded || !this.firstPage.length) return this.messages;
    if (!this.live.messages.size) return this.firstPage;
    const ids = new Set(this.live.messages.keys());
    return [...this.firstPage.filter((m) => !ids.has(m.id)), ...this.live.messages.values()].sort(compareMessages);
  }

  /** Messages oldest first (sorted lazily, cached until a message is added or removed). */
  get messages(): LocalMessage[] {
    this.sorted ??= [...this.live.messages.values()].sort(compareMessages);
    this.snapshot ??= this.sorted.slice();
    return this.snapshot;
  }

  /** Applies a relay event unless this chat already saw it (same epoch, seq not newer). */
  apply(event: CacheEvent): void {
    if (!this.loaded) {
      this.queued.push(event);
      void this.load();
      return;
    }
    const cursor = this.cursor;
    if (cursor && cursor.epoch === event.epoch) {
      if (event.seq <= cursor.seq) return;
      // Live events (after the replay) come without holes; a hole means frames were lost: resubscribe.
      if (event.seq > this.replayHead && event.seq > Math.max(cursor.seq, this.replayHead) + 1) {
        if (!this.gap) {
          this.gap = true;
          this.onGap(this);
        }
        return;
      }
    }
    this.cursor = { epoch: event.epoch, seq: event.seq };
    const applied = event.type === 'unreadable' ? applyUnreadable(this.live, event) : applyEvent(this.live, event);
    for (const m of applied.changed) this.replace(m);
    for (const id of applied.removed) this.forget(id);
    this.blobs.push(...applied.blobs);
    for (const b of applied.blobs) rememberAttachment(b.id, b.blob);
    this.schedulePersist(event.type === 'message' || event.type === 'turn_end' ? 0 : PERSIST_DELAY_MS);
    this.onApplied(this, applied);
  }

  /** Puts a message from this client (a pending send, a failure) and saves it now, unless the caller already did. */
  upsertLocal(message: LocalMessage, save = true): void {
    // A message put back (an undo) must not be deleted again by a removal still waiting to be written.
    if (this.removed.includes(message.id)) this.removed = this.removed.filter((id) => id !== message.id);
    this.live.messages.set(message.id, message);
    this.replace(message);
    if (save) this.schedulePersist(0);
    else this.dirty.delete(message.id);
  }

  /** Adds whole messages from the agent's history that this chat lacks; returns how many were new. */
  addHistory(messages: ChatMessage[]): number {
    let added = 0;
    const known = new Set([...this.live.messages.values()].map((m) => m.client_msg_id).filter(Boolean));
    for (const m of messages) {
      if (this.live.messages.has(m.id) || (m.client_msg_id && known.has(m.client_msg_id))) continue;
      const blobs: StoredAttachment[] = [];
      const local = fromChatMessage(this.chatId, m, blobs);
      for (const b of blobs) rememberAttachment(b.id, b.blob);
      this.blobs.push(...blobs);
      this.live.messages.set(local.id, local);
      this.dirty.set(local.id, local);
      added++;
    }
    if (added) {
      this.sorted = this.snapshot = undefined;
      this.schedulePersist(0);
    }
    return added;
  }

  /** Ends replies that were streaming when the relay lost their turn; they stay, marked as cut off. */
  interrupt(reason: string): void {
    for (const m of this.live.messages.values()) {
      if (m.state === 'streaming') this.upsertLocal({ ...m, state: 'error', error: reason, interrupted: true });
    }
    this.live.turn = undefined;
    this.live.typing = false;
  }

  remove(id: string): void {
    this.live.messages.delete(id);
    this.forget(id);
  }

  private replace(message: LocalMessage): void {
    this.dirty.set(message.id, message);
    this.snapshot = undefined;
    const list = this.sorted;
    if (!list) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]?.id === message.id) {
        if (list[i]?.created_at === message.created_at && list[i]?.role === message.role) list[i] = message;
        else this.sorted = undefined;
        return;
      }
    }
    const last = list[list.length - 1];
    if (!last || compareMessages(last, message) < 0) list.push(message);
    else this.sorted = undefined;
  }

  private forget(id: string): void {
    // A change still waiting to be written would bring the message back after its deletion.
    this.dirty.delete(id);
    this.removed.push(id);
    this.sorted = this.snapshot = undefined;
  }

  private schedulePersist(delay: number): void {
    if (this.timer !== undefined && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.persist(), delay);
  }

  /** Writes changed messages and the resume point in one transaction, so a reload resumes exactly after what is stored. */
  async persist(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.db) return;
    const messages = [...this.dirty.values()];
    const removed = this.removed.map((id): [string, string] => [this.chatId, id]);
    const blobs = this.blobs;
    const resume: ResumePoint | undefined = this.cursor ? { chat_id: this.chatId, ...this.cursor } : undefined;
    this.dirty.clear();
    this.removed = [];
    this.blobs = [];
    try {
      for (const blob of blobs) await this.db.putAttachment(blob);
      await this.db.putMessages(messages, resume, removed);
    } catch (err) {
      this.onError(err);
    }
  }
}
