/** Keeps the store in step with the relay: subscribes with resume points, flushes the outbox in order, maps acks and errors. */

import type {
  AgentInfo,
  ErrorFrame,
  HistoryResultFrame,
  Limits,
  RelayFrame,
  SubscribedFrame,
} from '../../shared/index.ts';
import { LIMITS } from '../../shared/index.ts';
import type { ChatStore } from './chat-store.ts';
import { newId } from './ids.ts';
import { rememberAttachment } from './attachment-urls.ts';
import { buildContext, toFrame } from './outbox.ts';
import { RelayConnection, type ConnectionOptions, type ConnectionState } from './relay-connection.ts';
import type { RelayConfig } from './config.ts';
import type { AttachmentRef, LocalMessage, OutboxEntry, StoredAttachment } from './types.ts';

/** Errors after which a queued frame is worth sending again on the next connection. */
const RETRYABLE = new Set(['rate_limited', 'agent_unavailable', 'internal', 'not_subscribed', 'bad_state']);
const MAX_SUBSCRIPTIONS = 200;

export class ChatSync {
  readonly connection: RelayConnection;
  agent: AgentInfo | undefined;
  limits: Limits = LIMITS;
  outbox: OutboxEntry[] = [];
  private readonly subscribed = new Set<string>();
  /** Chats followed without a stored session yet (a new chat, a link from another device). */
  private readonly wanted = new Set<string>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly store: ChatStore,
    readonly config: RelayConfig,
    clientId: string,
    transport: Pick<ConnectionOptions, 'socketFactory' | 'backoff'> = {},
  ) {
    this.connection = new RelayConnection(
      { url: config.url, token: config.token, clientId, ...transport },
      {
        onReady: (ready) => {
          this.agent = ready.agent;
          this.limits = ready.limits;
          this.subscribed.clear();
          this.inFlight.clear();
          for (const s of this.store.sessions.slice(0, MAX_SUBSCRIPTIONS)) void this.subscribe(s.id);
          for (const e of this.outbox) void this.subscribe(e.chat_id);
          for (const id of this.wanted) void this.subscribe(id);
        },
        onFrame: (frame) => this.onFrame(frame),
        onState: (state: ConnectionState) => {
          if (state !== 'connected') this.subscribed.clear();
          this.store.changed();
        },
        onProtocolError: (error) =>
          this.store.reportError(new Error(`The relay sent a frame this app cannot read: ${error.message}`)),
      },
    );
  }

  async start(): Promise<void> {
    this.outbox = (await this.store.guard(() => this.store.db?.listOutbox())) ?? [];
    this.connection.start();
  }

  get pending(): number {
    return this.outbox.length;
  }

  /** Follows a chat from where this device left it. */
  async subscribe(chatId: string): Promise<void> {
    this.wanted.add(chatId);
    if (this.subscribed.has(chatId) || this.connection.state !== 'connected') return;
    this.subscribed.add(chatId);
    const cache = this.store.chat(chatId);
    await cache.load();
    const c = cache.cursor;
    this.connection.send(
      c
        ? { type: 'subscribe', chat_id: chatId, epoch: c.epoch, after_seq: c.seq }
        : { type: 'subscribe', chat_id: chatId },
    );
  }

  unsubscribe(chatId: string): void {
    this.wanted.delete(chatId);
    if (this.subscribed.delete(chatId)) this.connection.send({ type: 'unsubscribe', chat_id: chatId });
  }

  /** Writes a user message locally and queues it; it leaves now if connected, else when the relay is back. */
  async send(chatId: string, text: string, files: File[] = [], model = ''): Promise<void> {
    const cache = this.store.chat(chatId);
    await cache.load();
    const id = newId('m');
    const refs: AttachmentRef[] = [];
    for (const file of files) {
      const ref = { id: newId('a'), name: file.name, mime: file.type, size: file.size };
      const stored: StoredAttachment = { ...ref, chat_id: chatId, blob: file };
      rememberAttachment(ref.id, file);
      await this.store.guard(() => this.store.db?.putAttachment(stored));
      refs.push(ref);
    }
    const message: LocalMessage = {
      chat_id: chatId,
      id,
      client_msg_id: id,
      role: 'user',
      text,
      created_at: Date.now(),
      state: 'pending',
    };
    if (refs.length) message.attachments = refs;
    cache.upsertLocal(message);
    const entry: OutboxEntry = {
      kind: 'send',
      chat_id: chatId,
      client_msg_id: id,
      text,
      attachment_ids: refs.map((r) => r.id),
      created_at: message.created_at,
    };
    if (model && this.agent?.models?.includes(model)) entry.model = model;
    await this.queue(entry);
    void this.store.touchSession(chatId, message);
    this.store.emitLocal({ kind: 'messages', chat_id: chatId });
  }

  async press(chatId: string, messageId: string, actionId: string): Promise<void> {
    await this.queue({
      kind: 'action',
      chat_id: chatId,
      client_msg_id: newId('b'),
      message_id: messageId,
      action_id: actionId,
      created_at: Date.now(),
    });
  }

  /** Asks the relay to stop the running turn; false when there is nothing to stop or no connection. */
  stop(chatId: string): boolean {
    const turn = this.store.chat(chatId).live.turn;
    if (!turn) return false;
    return this.connection.send({ type: 'stop', chat_id: chatId, turn_id: turn.turn_id });
  }

  /** Sends a failed message again, as a new message. */
  async retry(message: LocalMessage): Promise<void> {
    await this.store.deleteMessage(message.chat_id, message.id);
    await this.send(message.chat_id, message.text);
  }

  private async queue(entry: OutboxEntry): Promise<void> {
    this.outbox.push(entry);
    await this.store.guard(() => this.store.db?.enqueue(entry));
    this.store.changed();
    if (this.subscribed.has(entry.chat_id)) void this.flush(entry.chat_id);
    else void this.subscribe(entry.chat_id);
  }

  /** Sends this chat's queued frames in the order they were written; each stays queued until acked. */
  private async flush(chatId: string): Promise<void> {
    const cache = this.store.chat(chatId);
    for (const entry of this.outbox) {
      if (entry.chat_id !== chatId || this.inFlight.has(entry.client_msg_id)) continue;
      this.inFlight.add(entry.client_msg_id);
      const before = cache.live.messages.get(entry.client_msg_id);
      const context = entry.kind === 'send' ? buildContext(cache.messages, before, this.limits) : [];
      const frame = await toFrame(entry, this.store.db, context);
      if (!this.connection.send(frame)) this.inFlight.delete(entry.client_msg_id);
    }
  }

  reloadOutbox(): void {
    void this.store.guard(async () => {
      this.outbox = (await this.store.db?.listOutbox()) ?? this.outbox;
      for (const chatId of new Set(this.outbox.map((e) => e.chat_id))) {
        if (this.subscribed.has(chatId)) void this.flush(chatId);
      }
      this.store.changed();
    });
  }

  private onFrame(frame: RelayFrame): void {
    switch (frame.type) {
      case 'subscribed':
        return this.onSubscribed(frame);
      case 'ack':
        return void this.settle(frame.client_msg_id);
      case 'error':
        return this.onError(frame);
      case 'agent_state':
        this.agent = frame.agent;
        return this.store.changed();
      case 'history_result':
        return this.onHistory(frame);
      case 'ready':
      case 'unsubscribed':
      case 'pong':
        return;
      default:
        return this.store.applyRelayEvent(frame);
    }
  }

  private onSubscribed(frame: SubscribedFrame): void {
    const cache = this.store.chat(frame.chat_id);
    const sameEpoch = cache.cursor?.epoch === frame.epoch;
    if (!frame.recovered && cache.messages.length > 0) {
      cache.notice = sameEpoch
        ? 'Some recent events of this chat were no longer held by the relay; messages from that gap may be missing here.'
        : 'The relay restarted since this device last synced; anything sent to this chat elsewhere meanwhile is not shown here.';
      for (const m of cache.messages) {
        if (m.state === 'streaming')
          cache.upsertLocal({ ...m, state: 'error', error: 'The relay restarted; this reply was interrupted.' });
      }
    }
    if (!sameEpoch) cache.cursor = { epoch: frame.epoch, seq: 0 };
    if (!frame.recovered && this.agent?.capabilities.includes('history')) {
      // The relay could not replay the gap; the agent keeps history, so ask it for the messages instead.
      this.connection.send({ type: 'history', chat_id: frame.chat_id, request_id: newId('h'), limit: 200 });
    }
    this.store.changed();
    void this.flush(frame.chat_id);
  }

  /** Fills a chat from the agent's stored history: only messages this device does not have yet. */
  private onHistory(frame: HistoryResultFrame): void {
    const cache = this.store.chat(frame.chat_id);
    const added = cache.addHistory(frame.messages);
    if (added > 0) {
      cache.notice = `The relay could not replay everything, so ${added} missing message${added === 1 ? ' was' : 's were'} restored from the agent's history.`;
    }
    this.store.changed();
  }

  private async settle(clientMsgId: string): Promise<void> {
    this.inFlight.delete(clientMsgId);
    this.outbox = this.outbox.filter((e) => e.client_msg_id !== clientMsgId);
    await this.store.guard(() => this.store.db?.dequeue(clientMsgId));
    this.store.changed();
  }

  private onError(frame: ErrorFrame): void {
    const entry = frame.ref ? this.outbox.find((e) => e.client_msg_id === frame.ref) : undefined;
    if (entry && RETRYABLE.has(frame.code)) {
      this.inFlight.delete(entry.client_msg_id);
      this.store.chat(entry.chat_id).notice =
        `The relay could not take a message yet (${frame.message}); it stays queued.`;
      this.store.changed();
      return;
    }
    if (entry) {
      void this.settle(entry.client_msg_id);
      const cache = this.store.chat(entry.chat_id);
      const local = cache.live.messages.get(entry.client_msg_id);
      if (local) cache.upsertLocal({ ...local, state: 'failed', error: frame.message });
      this.store.changed();
      return;
    }
    if (frame.chat_id && frame.code !== 'no_active_turn') {
      this.store.chat(frame.chat_id).notice = frame.message;
      this.store.changed();
    } else if (!frame.chat_id) {
      this.store.reportError(new Error(`Relay: ${frame.message}`));
    }
  }
}
