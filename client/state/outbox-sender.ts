/** Sends the outbox: each chat's queued frames in the order they were written, each kept until the relay has it. */

import type { ClientFrame, ErrorFrame, Limits } from '../../shared/index.ts';
import type { ChatStore } from './chat-store.ts';
import { buildContext, textFrame, toFrame } from './outbox.ts';
import type { OutboxEntry } from './types.ts';

/** Errors after which a queued frame is worth sending again. */
const RETRYABLE = new Set([
  'rate_limited',
  'agent_unavailable',
  'internal',
  'not_subscribed',
  'bad_state',
  'storage_unavailable',
  'queue_full',
]);
const RETRY_MS = 2_000;

export interface OutboxDeps {
  store: ChatStore;
  /** Writes a frame to the relay now; false when there is no connection. */
  send(frame: ClientFrame): boolean;
  limits(): Limits;
  isSubscribed(chatId: string): boolean;
  /** The relay's epoch on the current connection. */
  epoch(): string | undefined;
}

export class OutboxSender {
  entries: OutboxEntry[] = [];
  /** Frames written to the current connection and not answered yet. */
  private readonly inFlight = new Set<string>();
  /** Chats whose queue waits (the relay lost their state and it is being repaired first). */
  private readonly held = new Set<string>();
  /** One sending pass at a time per chat, so a frame that takes longer to build cannot be overtaken. */
  private readonly passes = new Map<string, Promise<void>>();

  constructor(private readonly deps: OutboxDeps) {}

  /** Rereads the queue from the database (another tab wrote to it, or this tab just started). */
  async reload(): Promise<void> {
    const { store } = this.deps;
    const stored = await store.guard(() => store.db?.listOutbox());
    if (!stored) return;
    this.entries = stored;
    const queued = new Set(stored.map((e) => e.client_msg_id));
    for (const id of this.inFlight) if (!queued.has(id)) this.inFlight.delete(id);
    store.changed();
  }

  /** A new connection: nothing is in flight on it and nothing is held yet. */
  reset(): void {
    this.inFlight.clear();
    this.held.clear();
  }

  /** Takes a frame the user just wrote; it leaves in this same task when its chat is ready and nothing older waits. */
  add(entry: OutboxEntry): void {
    this.entries.push(entry);
    const chatId = entry.chat_id;
    const older = this.entries.some((e) => e !== entry && e.chat_id === chatId && !this.inFlight.has(e.client_msg_id));
    const ready = this.deps.isSubscribed(chatId) && !this.held.has(chatId) && !older;
    const frame = ready ? textFrame(entry, this.context(entry)) : undefined;
    if (frame && this.deps.send(frame)) this.inFlight.add(entry.client_msg_id);
    else this.flush(chatId);
    this.deps.store.changed();
  }

  /** Puts frames the relay lost ahead of everything queued, then sends them first. */
  async requeueFirst(entries: OutboxEntry[]): Promise<void> {
    const fresh = entries.filter((e) => !this.isQueued(e.client_msg_id));
    this.entries = [...fresh, ...this.entries];
    await this.deps.store.guard(() => this.deps.store.db?.enqueueFirst(fresh));
    this.deps.store.emitLocal({ kind: 'outbox' });
    this.deps.store.changed();
  }

  hold(chatId: string): void {
    this.held.add(chatId);
  }

  release(chatId: string): void {
    this.held.delete(chatId);
    this.flush(chatId);
  }

  /** Sends this chat's queued frames that are not on the wire yet, in order. */
  flush(chatId: string): void {
    const previous = this.passes.get(chatId) ?? Promise.resolve();
    const pass = previous.then(() => this.sendQueued(chatId));
    this.passes.set(chatId, pass);
    void pass.finally(() => {
      if (this.passes.get(chatId) === pass) this.passes.delete(chatId);
    });
  }

  /** The relay has the frame (its ack, or its fanned-out message seen by this tab): forget it everywhere. */
  async settle(clientMsgId: string): Promise<void> {
    const { store } = this.deps;
    this.inFlight.delete(clientMsgId);
    const entry = this.entries.find((e) => e.client_msg_id === clientMsgId);
    if (!entry) return;
    this.entries = this.entries.filter((e) => e !== entry);
    const local = store.chat(entry.chat_id).live.messages.get(clientMsgId);
    const epoch = this.deps.epoch();
    // The relay has it; until its copy arrives, the local one is stamped with the epoch that took it.
    if (local?.state === 'pending')
      store.chat(entry.chat_id).upsertLocal({ ...local, state: 'sent', ...(epoch ? { epoch } : {}) });
    store.changed();
    await store.guard(() => store.db?.dequeue(clientMsgId));
    store.emitLocal({ kind: 'outbox' });
  }

  /** Drops a queued frame the user deleted before it was sent. */
  async discard(clientMsgId: string): Promise<void> {
    this.inFlight.delete(clientMsgId);
    this.entries = this.entries.filter((e) => e.client_msg_id !== clientMsgId);
    this.deps.store.changed();
    await this.deps.store.guard(() => this.deps.store.db?.dequeue(clientMsgId));
    this.deps.store.emitLocal({ kind: 'outbox' });
  }

  /** Handles an error answering one of our frames; false when it was about something else. */
  onError(frame: ErrorFrame): boolean {
    const entry = frame.ref ? this.entries.find((e) => e.client_msg_id === frame.ref) : undefined;
    if (!entry) return false;
    const { store } = this.deps;
    const cache = store.chat(entry.chat_id);
    this.inFlight.delete(entry.client_msg_id);
    if (RETRYABLE.has(frame.code)) {
      cache.notice = `The relay could not take a message yet (${frame.message}); it stays queued and is sent again shortly.`;
      setTimeout(() => this.flush(entry.chat_id), RETRY_MS);
    } else {
      this.entries = this.entries.filter((e) => e !== entry);
      void this.fail(entry, frame.message);
    }
    store.changed();
    return true;
  }

  /** The relay refused the frame for good: the message says why (in every tab), and leaves the queue. */
  private async fail(entry: OutboxEntry, reason: string): Promise<void> {
    const { store } = this.deps;
    const cache = store.chat(entry.chat_id);
    const id = entry.client_msg_id;
    // This tab may not hold the message yet (another tab wrote it and closed): read it first.
    if (!cache.live.messages.has(id)) await store.reloadMessages(entry.chat_id);
    const local = cache.live.messages.get(id);
    if (local) cache.upsertLocal({ ...local, state: 'failed', error: reason });
    else if (entry.kind === 'send' && entry.regenerate) cache.notice = `The reply could not be regenerated: ${reason}`;
    store.changed();
    await this.discard(id);
    await cache.persist();
    store.emitLocal({ kind: 'messages', chat_id: entry.chat_id });
  }

  private isQueued(clientMsgId: string): boolean {
    return this.entries.some((e) => e.client_msg_id === clientMsgId);
  }

  private context(entry: OutboxEntry) {
    if (entry.kind !== 'send') return [];
    const cache = this.deps.store.chat(entry.chat_id);
    const asked = cache.live.messages.get(entry.regenerate?.message_id ?? entry.client_msg_id);
    return buildContext(cache.messages, asked, this.deps.limits());
  }

  private async sendQueued(chatId: string): Promise<void> {
    for (const entry of this.entries) {
      if (this.held.has(chatId) || !this.deps.isSubscribed(chatId)) return;
      if (entry.chat_id !== chatId || this.inFlight.has(entry.client_msg_id)) continue;
      const frame = await toFrame(entry, this.deps.store.db, this.context(entry));
      if (!this.isQueued(entry.client_msg_id) || this.inFlight.has(entry.client_msg_id)) continue;
      if (this.held.has(chatId) || !this.deps.send(frame)) return;
      this.inFlight.add(entry.client_msg_id);
    }
  }
}
