/** Keeps the store in step with the relay: one connection per tab, subscriptions with resume points, the outbox, repairs. */

import type {
  AgentInfo,
  ContinueFrame,
  ErrorFrame,
  FrameRate,
  HumanAnswer,
  Limits,
  ProtocolError,
  RelayFrame,
  SubscribedFrame,
} from '../../shared/index.ts';
import { LIMITS, WORKSPACE_CHAT_ID } from '../../shared/index.ts';
import { ChatRecovery } from './chat-recovery.ts';
import { deviceLabel } from './device-label.ts';
import type { ChatStore, Undo } from './chat-store.ts';
import type { RelayConfig } from './config.ts';
import { newId } from './ids.ts';
import { OutboxSender } from './outbox-sender.ts';
import { buildContext } from './outbox.ts';
import { RelayConnection, type ConnectionOptions } from './relay-connection.ts';
import { fetchIssuedToken } from './token-source.ts';
import { SubscribePacer } from './subscribe-pacer.ts';
import { salvageEvent } from './unreadable.ts';
import { writeMessage, type Placement } from './write-message.ts';
import { UNDO_WINDOW_MS, type LocalMessage, type OutboxEntry, type QueuedAnswer } from './types.ts';
import { advertisedSettings } from './chat-settings.ts';
import type { TurnSettings } from '../../shared/settings.ts';

const MAX_SUBSCRIPTIONS = 200;

export class ChatSync {
  readonly connection: RelayConnection;
  agent: AgentInfo | undefined;
  limits: Limits = LIMITS;
  readonly outbox: OutboxSender;
  private readonly recovery: ChatRecovery;
  /** Chats whose subscribe frame went out on the current connection (frames for them may follow it). */
  private readonly subscribed = new Set<string>();
  /** Subscribes waiting their turn within the relay's frame rate. */
  private readonly pacer = new SubscribePacer((chatId) => this.sendSubscribe(chatId));
  /** Chats followed without a stored session yet (a new chat, a link from another device). */
  private readonly wanted = new Set<string>();

  constructor(
    private readonly store: ChatStore,
    readonly config: RelayConfig,
    clientId: string,
    transport: Pick<ConnectionOptions, 'socketFactory' | 'backoff' | 'tokenSource'> = {},
  ) {
    const tokenUrl = config.tokenUrl;
    const tokenSource = transport.tokenSource ?? (tokenUrl ? () => fetchIssuedToken(tokenUrl) : undefined);
    this.connection = new RelayConnection(
      { url: config.url, token: config.token, clientId, ...transport, ...(tokenSource ? { tokenSource } : {}) },
      {
        onReady: (ready) => void this.onReady(ready.agent, ready.limits, ready.rate, ready.workspace),
        onFrame: (frame) => this.onFrame(frame),
        onState: (state) => {
          if (state !== 'connected') {
            this.subscribed.clear();
            this.pacer.stop();
          }
          this.store.changed();
        },
        onProtocolError: (error, raw) => this.onUnreadable(error, raw),
      },
    );
    const send = this.connection.send.bind(this.connection);
    this.outbox = new OutboxSender({
      store,
      send,
      limits: () => this.limits,
      isSubscribed: (chatId) => this.subscribed.has(chatId),
      epoch: () => this.connection.ready?.epoch,
    });
    this.recovery = new ChatRecovery({ store, outbox: this.outbox, send, agent: () => this.agent });
    store.onGap = (chatId) => this.resubscribe(chatId);
    store.book.onQueued = (entry) => this.outbox.add(entry);
    // A chat another device made is followed, so this one has it offline too, within the sidebar's bound; one
    // past it is listed from the workspace and followed when opened.
    store.book.onFound = (chatId) => {
      if (this.wanted.size < MAX_SUBSCRIPTIONS) this.subscribe(chatId, false);
    };
    store.book.onDeleted = (chatId) => this.unsubscribe(chatId);
  }

  async start(): Promise<void> {
    await this.outbox.reload();
    this.connection.start();
  }

  /** Messages and presses waiting to be sent (workspace writes travel with them but are not counted). */
  get pending(): number {
    return this.outbox.entries.filter((e) => e.kind !== 'workspace').length;
  }

  private queuedMemo = new Map<string, { key: string; list: QueuedAnswer[] }>();

  /** Answers to the agent's requests in this chat still in the outbox (any tab's), so cards show them queued. */
  queuedAnswers(chatId: string): readonly QueuedAnswer[] {
    const mine = this.outbox.entries.flatMap((e) =>
      e.kind === 'answer' && e.chat_id === chatId
        ? [{ id: e.client_msg_id, messageId: e.message_id, requestId: e.request_id, answer: e.answer }]
        : [],
    );
    // The same list while nothing changed, so the chat view does not re-render for it.
    const key = mine.map((q) => q.id).join(' ');
    const held = this.queuedMemo.get(chatId);
    if (held?.key === key) return held.list;
    this.queuedMemo.set(chatId, { key, list: mine });
    return mine;
  }

  /**
   * Follows a chat from where this device left it: only its cursor is needed, not its history. `first` puts it
   * ahead of subscribes still waiting (the chat on screen, one being written to).
   */
  subscribe(chatId: string, first = true): void {
    this.wanted.add(chatId);
    if (this.subscribed.has(chatId) || this.connection.state !== 'connected') return;
    this.pacer.push(chatId, first);
  }

  private sendSubscribe(chatId: string): void {
    if (this.subscribed.has(chatId) || this.connection.state !== 'connected') return;
    const c = this.store.cache(chatId).cursor;
    const frame = c
      ? { type: 'subscribe' as const, chat_id: chatId, epoch: c.epoch, after_seq: c.seq }
      : { type: 'subscribe' as const, chat_id: chatId };
    if (this.connection.send(frame)) this.subscribed.add(chatId);
  }

  unsubscribe(chatId: string): void {
    this.wanted.delete(chatId);
    this.pacer.remove(chatId);
    if (this.subscribed.delete(chatId)) this.connection.send({ type: 'unsubscribe', chat_id: chatId });
  }

  /**
   * Writes a user message and queues it. Everything that must survive the tab closing right away happens
   * before the first `await`: the database write is issued and committed, and the frame leaves if it can.
   */
  async send(chatId: string, text: string, files: File[] = [], model = '', place: Placement = {}): Promise<void> {
    // Written at once even while the history is still being read; the frame, whose context is that history, leaves
    // in this task when the chat is open already, or as soon as it is.
    const known = model && this.agent?.models?.includes(model) ? model : '';
    const settings = this.settingsOf(chatId);
    const { entries, written } = writeMessage(this.store, chatId, text, files, known, settings, place);
    for (const e of entries) this.outbox.add(e);
    if (!this.subscribed.has(chatId)) this.subscribe(chatId);
    await written;
    await this.outbox.idle(chatId);
  }

  async press(chatId: string, messageId: string, actionId: string): Promise<void> {
    const entry: OutboxEntry = {
      kind: 'action',
      chat_id: chatId,
      client_msg_id: newId('b'),
      message_id: messageId,
      action_id: actionId,
      created_at: Date.now(),
    };
    const written = this.store.data.commit({ queue: [entry], announce: true });
    this.outbox.add(entry);
    await written;
  }

  /** Queues an answer to an agent's request like a message: sent now if connected, else when the relay is back. */
  async answer(chatId: string, a: { messageId: string; requestId: string; answer: HumanAnswer }): Promise<void> {
    const entry: OutboxEntry = {
      kind: 'answer',
      chat_id: chatId,
      client_msg_id: newId('a'),
      message_id: a.messageId,
      request_id: a.requestId,
      answer: a.answer,
      device: deviceLabel(navigator.userAgent),
      created_at: Date.now(),
    };
    const written = this.store.data.commit({ queue: [entry], announce: true });
    this.outbox.add(entry);
    await written;
  }

  /** Asks the relay to stop the running turn; false when there is nothing to stop or no connection. */
  stop(chatId: string): boolean {
    const turn = this.store.cache(chatId).turn;
    if (!turn) return false;
    return this.connection.send({ type: 'stop', chat_id: chatId, turn_id: turn.turn_id });
  }

  /** Sends a message the relay refused again, as a new message with the same text and files. */
  async retry(message: LocalMessage): Promise<void> {
    // Read the files first: they are deleted with their message.
    const files = await Promise.all(
      (message.attachments ?? []).map(async (a) => {
        const stored = await this.store.guard(() => this.store.data.getAttachment(a.id));
        return stored ? new File([stored.blob], a.name, { type: a.mime }) : undefined;
      }),
    );
    await this.store.deleteMessage(message.chat_id, message.id);
    await this.send(
      message.chat_id,
      message.text,
      files.filter((f) => f !== undefined),
    );
  }

  /**
   * Asks again for `reply`, the last of the branch shown: the question it answered stays as it is (same id, time and
   * pin), and the new reply is a version of the old one, which every device keeps (‹ 1 / 2 ›).
   */
  async regenerate(reply: LocalMessage, model = ''): Promise<void> {
    const cache = this.store.chat(reply.chat_id);
    const messages = cache.branch;
    const asked = messages
      .slice(0, messages.indexOf(reply))
      .reverse()
      .find((m) => m.role === 'user');
    // Only a message the relay has taken is known to every device and the agent.
    if (!asked || asked.state === 'pending' || asked.state === 'failed') return;
    const entry: OutboxEntry = {
      kind: 'send',
      chat_id: reply.chat_id,
      client_msg_id: newId('m'),
      text: asked.text,
      attachment_ids: (asked.attachments ?? []).map((a) => a.id),
      regenerate: { message_id: asked.id, replaces: reply.id },
      created_at: Date.now(),
    };
    if (model && this.agent?.models?.includes(model)) entry.model = model;
    const settings = this.settingsOf(reply.chat_id);
    if (Object.keys(settings).length) entry.settings = settings;
    // This tab shows the new version once it starts, whichever version it had chosen.
    cache.chooseVersion(reply.version_of ?? reply.id, '');
    const written = this.store.data.commit({ queue: [entry], announce: true });
    this.outbox.add(entry);
    await written;
  }

  /**
   * Asks the agent to go on with `reply`, a reply that stopped or failed: the relay runs a turn on the question it
   * answered, with the partial reply as context, and a new reply follows it. Needs the relay now (false when not
   * connected); one it cannot continue is refused with `cannot_continue`, shown as the chat's notice.
   */
  continueReply(reply: LocalMessage): boolean {
    const messages = this.store.chat(reply.chat_id).branch;
    const asked = messages
      .slice(0, messages.indexOf(reply))
      .reverse()
      .find((m) => m.role === 'user');
    const frame: ContinueFrame = {
      type: 'continue',
      chat_id: reply.chat_id,
      client_msg_id: newId('k'),
      message_id: reply.id,
    };
    const context = asked ? buildContext(messages, asked, this.limits) : [];
    if (context.length) frame.context = context;
    const settings = this.settingsOf(reply.chat_id);
    if (Object.keys(settings).length) frame.settings = settings;
    return this.connection.send(frame);
  }

  /**
   * Deletes a message; one still waiting in the outbox is not sent (and cannot be undone: its queued frame is gone).
   * One the relay has is deleted on every device once the undo window has passed (a queued `delete`, sent even if
   * this tab closes first). Resolves to the undo of anything but a queued message.
   */
  async discard(message: LocalMessage): Promise<Undo | undefined> {
    if (message.state === 'pending') {
      await this.outbox.discard(message.id);
      await this.store.deleteMessage(message.chat_id, message.id);
      return undefined;
    }
    const undoHere = await this.store.deleteMessage(message.chat_id, message.id);
    // A message the relay refused, or one this device made up for a frame it could not read, is only here.
    if ((message.role === 'user' && message.state === 'failed') || message.unreadable) return undoHere;
    const now = Date.now();
    const entry: OutboxEntry = {
      kind: 'delete',
      chat_id: message.chat_id,
      client_msg_id: newId('d'),
      message_id: message.id,
      not_before: now + UNDO_WINDOW_MS,
      created_at: now,
    };
    await this.store.data.commit({ queue: [entry], announce: true });
    this.outbox.add(entry);
    return async () => {
      await this.outbox.discard(entry.client_msg_id);
      await undoHere?.();
    };
  }

  /** An import in this tab queued its new messages for the relay: the chats are followed, so the queue can leave. */
  shareImported(chatIds: readonly string[]): void {
    for (const id of chatIds) if (!this.store.isDeleted(id)) this.subscribe(id, false);
    this.reloadOutbox();
  }

  /** Another tab changed the queue: reread it and send what is ready. */
  reloadOutbox(): void {
    void this.outbox.reload().then(() => {
      for (const chatId of new Set(this.outbox.entries.map((e) => e.chat_id))) this.outbox.flush(chatId);
    });
  }

  /** Stamps the chat's settings on its send entries (only what this agent advertises, so the relay takes them). */
  private settingsOf(chatId: string): TurnSettings {
    return advertisedSettings(this.store.book.workspace.get(chatId)?.fields ?? {}, this.agent);
  }

  private async onReady(agent: AgentInfo, limits: Limits, rate: FrameRate, workspace?: string): Promise<void> {
    this.agent = agent;
    this.limits = limits;
    this.subscribed.clear();
    this.pacer.reset(rate);
    this.outbox.reset();
    this.recovery.reset();
    // A tab that closed before it could send leaves its frames here; this connection sends them.
    await this.outbox.reload();
    // Chats with something to send and the ones asked for (on screen) first, then the sidebar by recency.
    // The workspace first: it names the chats a fresh device has never seen. A relay that keeps none names no
    // channel, and this device's workspace writes wait in the outbox for one that does.
    if (workspace === WORKSPACE_CHAT_ID) this.subscribe(WORKSPACE_CHAT_ID, false);
    const chats = new Set([
      ...this.outbox.entries.map((e) => e.chat_id).filter((id) => id !== WORKSPACE_CHAT_ID),
      ...this.wanted,
      ...this.store.sessions.slice(0, MAX_SUBSCRIPTIONS).map((s) => s.id),
    ]);
    for (const id of chats) this.subscribe(id, false);
  }

  private resubscribe(chatId: string): void {
    if (!this.subscribed.delete(chatId)) return;
    this.subscribe(chatId);
  }

  private onFrame(frame: RelayFrame): void {
    switch (frame.type) {
      case 'subscribed':
        if (frame.chat_id === WORKSPACE_CHAT_ID) return this.onWorkspaceSubscribed(frame);
        return this.recovery.onSubscribed(frame);
      case 'ack':
        return void this.outbox.settle(frame.client_msg_id);
      case 'error':
        return this.onError(frame);
      case 'agent_state':
        this.agent = frame.agent;
        return this.store.changed();
      case 'history_result':
        return this.recovery.onHistory(frame);
      case 'ready':
      case 'unsubscribed':
      case 'pong':
        return;
      default:
        this.store.applyRelayEvent(frame);
        // Whichever tab sent it, the relay has it now (its id is the send's): no tab needs to send it again.
        if (frame.type === 'message' && frame.message.role === 'user') this.outbox.settle(frame.message.id);
    }
  }

  /**
   * The workspace channel answered: its replay follows, merged in whatever order. A relay that lost it (a restart
   * without storage, or history it no longer holds) is sent everything this device holds, which changes nothing
   * where it is known already.
   */
  private onWorkspaceSubscribed(frame: SubscribedFrame): void {
    const cache = this.store.cache(frame.chat_id);
    const before = cache.cursor?.epoch;
    cache.replayHead = frame.head_seq;
    cache.gap = false;
    if (before !== frame.epoch) cache.cursor = { epoch: frame.epoch, seq: 0 };
    if ((before !== undefined && before !== frame.epoch) || !frame.recovered) void this.store.book.republish();
    this.outbox.flush(frame.chat_id);
  }

  /** Never drops a frame silently: a chat event shows in its chat as what could not be shown, anything else as a problem. */
  private onUnreadable(error: ProtocolError, raw: string): void {
    console.warn(`Parley could not read a frame from the relay: ${error.message}`, raw.slice(0, 300));
    const event = salvageEvent(raw, error);
    if (event) this.store.applyRelayEvent(event);
    else this.store.reportError(new Error(`The relay sent a frame this app cannot read: ${error.message}`));
  }

  private onError(frame: ErrorFrame): void {
    if (this.outbox.onError(frame) || this.recovery.onError(frame)) return;
    // The relay stopped a reply it could not write to its history: no turn_end comes until it can.
    if (frame.code === 'storage_unavailable' && frame.chat_id && !frame.ref) {
      this.store.cache(frame.chat_id).endStreaming(frame.message);
    }
    if (frame.chat_id && frame.code !== 'no_active_turn') {
      this.store.cache(frame.chat_id).notice = frame.message;
      this.store.changed();
    } else if (!frame.chat_id) {
      this.store.reportError(new Error(`Relay: ${frame.message}`));
    }
  }
}
