/** Sends the outbox: each chat's queued frames in the order they were written, each kept until the relay has it. */

import type { ClientFrame, ErrorFrame, Limits } from '../../shared/index.ts';
import type { ChatStore } from './chat-store.ts';
import { buildContext, textFrame, toFrame } from './outbox.ts';
import type { LocalMessage, OutboxEntry } from './types.ts';

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

/** A deletion waits out its undo window; everything else leaves as soon as it can. */
function due(entry: OutboxEntry, now = Date.now()): boolean {
  return entry.kind !== 'delete' || entry.not_before <= now;
}

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
  /** Ids leaving the queue while a reload reads it (one set per reload in progress). */
  private readonly dropped = new Set<Set<string>>();
  /** One sending pass at a time per chat, so a frame that takes longer to build cannot be overtaken. */
  private readonly passes = new Map<string, Promise<void>>();
  /** Chats with a deletion waiting out its undo window: the pass that sends it, once due. */
  private readonly wakes = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: OutboxDeps) {}

  /** Rereads the queue from the database (another tab wrote to it, or this tab just started). */
  async reload(): Promise<void> {
    const { store } = this.deps;
    const before = new Set(this.entries.map((e) => e.client_msg_id));
    const gone = new Set<string>();
    this.dropped.add(gone);
    const stored = await store.guard(() => store.data.listOutbox());
    this.dropped.delete(gone);
    if (!stored) return;
    // The read may predate this tab's own latest changes: entries added meanwhile stay, ones settled stay gone.
    const read = new Set(stored.map((e) => e.client_msg_id));
    const added = this.entries.filter((e) => !before.has(e.client_msg_id) && !read.has(e.client_msg_id));
    this.entries = [...stored.filter((e) => !gone.has(e.client_msg_id)), ...added];
    const queued = new Set(this.entries.map((e) => e.client_msg_id));
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
    const ready = this.deps.isSubscribed(chatId) && !this.held.has(chatId) && !older && due(entry);
    const context = ready ? this.context(entry) : undefined;
    const frame = context ? textFrame(entry, context) : undefined;
    if (frame && this.deps.send(frame)) this.inFlight.add(entry.client_msg_id);
    else this.flush(chatId);
    this.deps.store.changed();
  }

  /** Puts frames the relay lost ahead of everything queued, then sends them first. */
  async requeueFirst(entries: OutboxEntry[]): Promise<void> {
    const fresh = entries.filter((e) => !this.isQueued(e.client_msg_id));
    this.entries = [...fresh, ...this.entries];
    await this.deps.store.data.enqueueFirst(fresh);
    this.deps.store.changed();
  }

  hold(chatId: string): void {
    this.held.add(chatId);
  }

  release(chatId: string): void {
    this.held.delete(chatId);
    this.flush(chatId);
  }

  /** Resolves when the chat's current sending pass is over (its frames are on the wire, or waiting for a reason). */
  idle(chatId: string): Promise<void> {
    return this.passes.get(chatId) ?? Promise.resolve();
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

  /**
   * The relay has the frame (its ack, or its fanned-out message seen by this tab): forget it. Written with
   * whatever else waits (the message's own delivery). Other tabs see a message's delivery themselves; a press
   * or a workspace write is answered to this connection alone, so they are told.
   */
  settle(clientMsgId: string): void {
    const { store } = this.deps;
    this.inFlight.delete(clientMsgId);
    const entry = this.entries.find((e) => e.client_msg_id === clientMsgId);
    if (!entry) return;
    this.drop(clientMsgId);
    const cache = store.cache(entry.chat_id);
    const local = cache.get(clientMsgId);
    const epoch = this.deps.epoch();
    // The relay has it; until its copy arrives, the local one is stamped with the epoch that took it.
    const sent: LocalMessage[] = [];
    if (local?.state === 'pending') {
      const next: LocalMessage = { ...local, state: 'sent', ...(epoch ? { epoch } : {}) };
      cache.upsertLocal(next, false);
      sent.push(next);
    }
    store.data.stage({ dequeue: [clientMsgId], messages: sent, announce: entry.kind !== 'send' });
    store.changed();
  }

  /** Drops a queued frame the user deleted before it was sent. */
  async discard(clientMsgId: string): Promise<void> {
    this.inFlight.delete(clientMsgId);
    this.drop(clientMsgId);
    this.deps.store.changed();
    await this.deps.store.data.commit({ dequeue: [clientMsgId], announce: true });
  }

  /** Sends the chat's queue again at `at` (the first waiting deletion's end of undo). */
  private wakeAt(chatId: string, at: number): void {
    if (this.wakes.has(chatId)) return;
    const timer = setTimeout(
      () => {
        this.wakes.delete(chatId);
        this.flush(chatId);
      },
      Math.max(0, at - Date.now()),
    );
    this.wakes.set(chatId, timer);
  }

  /** Handles an error answering one of our frames; false when it was about something else. */
  onError(frame: ErrorFrame): boolean {
    const entry = frame.ref ? this.entries.find((e) => e.client_msg_id === frame.ref) : undefined;
    if (!entry) return false;
    const { store } = this.deps;
    const cache = store.cache(entry.chat_id);
    this.inFlight.delete(entry.client_msg_id);
    if (RETRYABLE.has(frame.code)) {
      cache.notice = `The relay could not take a message yet (${frame.message}); it stays queued and is sent again shortly.`;
      setTimeout(() => this.flush(entry.chat_id), RETRY_MS);
    } else {
      this.drop(entry.client_msg_id);
      void this.fail(entry, frame.message);
    }
    store.changed();
    return true;
  }

  /** The relay refused the frame for good: the message says why (in every tab), and leaves the queue. */
  private async fail(entry: OutboxEntry, reason: string): Promise<void> {
    const { store } = this.deps;
    const cache = store.cache(entry.chat_id);
    const id = entry.client_msg_id;
    this.inFlight.delete(id);
    this.drop(id);
    // This tab may not hold the message (another tab wrote it and closed, or the chat is not open): read it.
    const local = cache.get(id) ?? (await store.guard(() => store.data.getMessage(entry.chat_id, id)));
    const failed: LocalMessage[] = [];
    if (local) {
      const next: LocalMessage = { ...local, state: 'failed', error: reason };
      cache.upsertLocal(next, false);
      failed.push(next);
    } else if (entry.kind === 'send' && entry.regenerate)
      cache.notice = `The reply could not be regenerated: ${reason}`;
    else if (entry.kind === 'answer') cache.notice = `Your answer was not taken: ${reason}`;
    else if (entry.kind === 'import')
      cache.notice = `Messages imported here were not shared with your other devices: ${reason}`;
    else if (entry.kind === 'workspace')
      // This device keeps the change; the chats it named say it did not reach the others (a clock far ahead…).
      for (const chat of new Set(entry.changes.map((c) => c.chat)))
        store.cache(chat).notice = `A change to this chat was not shared with your other devices: ${reason}`;
    store.changed();
    // The failure and the dequeue land together, and every tab shows the message failed.
    await store.data.commit({ messages: failed, dequeue: [id], announce: true });
  }

  private drop(clientMsgId: string): void {
    this.entries = this.entries.filter((e) => e.client_msg_id !== clientMsgId);
    for (const gone of this.dropped) gone.add(clientMsgId);
  }

  private isQueued(clientMsgId: string): boolean {
    return this.entries.some((e) => e.client_msg_id === clientMsgId);
  }

  /** The messages before the one a send asks about; undefined while the chat's history is not in memory. */
  private context(entry: OutboxEntry) {
    if (entry.kind !== 'send') return [];
    const cache = this.deps.store.cache(entry.chat_id);
    if (!cache.isLoaded) return undefined;
    const asked = cache.get(entry.regenerate?.message_id ?? entry.client_msg_id);
    // The branch the message was written on: what the chat shows, versions not chosen left out.
    return buildContext(cache.branch, asked, this.deps.limits());
  }

  private async sendQueued(chatId: string): Promise<void> {
    for (const entry of this.entries) {
      if (this.held.has(chatId) || !this.deps.isSubscribed(chatId)) return;
      if (entry.chat_id !== chatId || this.inFlight.has(entry.client_msg_id)) continue;
      if (entry.kind === 'delete' && !due(entry)) {
        this.wakeAt(chatId, entry.not_before);
        continue;
      }
      if (entry.kind === 'send') await this.deps.store.opened(chatId);
      const frame = await toFrame(entry, this.deps.store.data, this.context(entry) ?? [], this.deps.epoch());
      if (!this.isQueued(entry.client_msg_id) || this.inFlight.has(entry.client_msg_id)) continue;
      // Everything an import queued came from this relay after all (or was deleted since): nothing to share.
      if (frame.type === 'import' && frame.messages.length === 0) {
        this.settle(entry.client_msg_id);
        continue;
      }
      if (this.held.has(chatId) || !this.deps.send(frame)) return;
      this.inFlight.add(entry.client_msg_id);
    }
  }
}
