/** One chat held in memory: its messages in display order, where it stands in the relay stream, and its pending writes. */

import type { ChatEvent, ChatMessage } from '../../shared/index.ts';
import { applyEvent, fromChatMessage, type Applied, type ChatLive } from './apply-event.ts';
import { rememberAttachment } from './attachment-urls.ts';
import type { ParleyDb } from './db.ts';
import type { LocalMessage, ResumePoint, StoredAttachment } from './types.ts';

const PERSIST_DELAY_MS = 400;

export class ChatCache {
  readonly live: ChatLive = { messages: new Map(), typing: false };
  pins = new Set<string>();
  /** Where this chat stands in the relay's event stream. */
  cursor: { epoch: string; seq: number } | undefined;
  /** A sentence shown above the messages, e.g. when the relay could not replay everything. */
  notice = '';
  private sorted: LocalMessage[] | undefined;
  /** A fresh array per change, so views see a new value; copied at most once per read. */
  private snapshot: LocalMessage[] | undefined;
  private readonly dirty = new Map<string, LocalMessage>();
  private removed: string[] = [];
  private blobs: StoredAttachment[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  private loaded = false;
  private queued: ChatEvent[] = [];

  constructor(
    readonly chatId: string,
    private readonly db: ParleyDb | null,
    private readonly onError: (err: unknown) => void,
    private readonly onApplied: (cache: ChatCache, applied: Applied) => void,
  ) {}

  /** Loads stored messages, pins and resume point once; events arriving meanwhile wait their turn. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      if (this.db) {
        try {
          const [messages, pins, resume] = await Promise.all([
            this.db.loadMessages(this.chatId),
            this.db.listPins(this.chatId),
            this.db.getResume(this.chatId),
          ]);
          for (const m of messages) if (!this.live.messages.has(m.id)) this.live.messages.set(m.id, m);
          this.pins = new Set(pins.map((p) => p.message_id));
          if (resume && !this.cursor) this.cursor = { epoch: resume.epoch, seq: resume.seq };
        } catch (err) {
          this.onError(err);
        }
      }
      this.loaded = true;
      this.sorted = this.snapshot = undefined;
      const queued = this.queued;
      this.queued = [];
      for (const event of queued) this.apply(event);
    })();
    return this.loading;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Messages oldest first (sorted lazily, cached until a message is added or removed). */
  get messages(): LocalMessage[] {
    this.sorted ??= [...this.live.messages.values()].sort((a, b) => a.created_at - b.created_at);
    this.snapshot ??= this.sorted.slice();
    return this.snapshot;
  }

  /** Applies a relay event unless this chat already saw it (same epoch, seq not newer). */
  apply(event: ChatEvent): void {
    if (!this.loaded) {
      this.queued.push(event);
      void this.load();
      return;
    }
    if (this.cursor && this.cursor.epoch === event.epoch && event.seq <= this.cursor.seq) return;
    this.cursor = { epoch: event.epoch, seq: event.seq };
    const applied = applyEvent(this.live, event);
    for (const m of applied.changed) this.replace(m);
    for (const id of applied.removed) this.forget(id);
    this.blobs.push(...applied.blobs);
    for (const b of applied.blobs) rememberAttachment(b.id, b.blob);
    this.schedulePersist(event.type === 'message' || event.type === 'turn_end' ? 0 : PERSIST_DELAY_MS);
    this.onApplied(this, applied);
  }

  /** Puts a message from this client (a pending send, a failure) and saves it now. */
  upsertLocal(message: LocalMessage): void {
    this.live.messages.set(message.id, message);
    this.replace(message);
    this.schedulePersist(0);
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

  remove(id: string): void {
    this.live.messages.delete(id);
    this.forget(id);
    this.dirty.delete(id);
  }

  private replace(message: LocalMessage): void {
    this.dirty.set(message.id, message);
    this.snapshot = undefined;
    const list = this.sorted;
    if (!list) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]?.id === message.id) {
        if (list[i]?.created_at === message.created_at) list[i] = message;
        else this.sorted = undefined;
        return;
      }
    }
    const last = list[list.length - 1];
    if (!last || last.created_at <= message.created_at) list.push(message);
    else this.sorted = undefined;
  }

  private forget(id: string): void {
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
