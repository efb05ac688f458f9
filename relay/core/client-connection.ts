/** One browser client's connection: parses its frames, applies limits, and routes them to chats. */

import {
  CLOSE_CODES,
  parseClientFrame,
  PROTOCOL_VERSION,
  type ActionFrame,
  type AnswerFrame,
  type ClientFrame,
  type ContinueFrame,
  type DeleteFrame,
  type ErrorCode,
  type ErrorFrame,
  type HistoryFrame,
  type ImportFrame,
  type RelayFrame,
  type SendFrame,
  type StopFrame,
  type SubscribeFrame,
  type WorkspaceWriteFrame,
} from '../../shared/index.ts';
import { HistoryUnsupported } from './agent.ts';
import { continueReply } from './continue.ts';
import { StorageUnavailable, type Outcome } from './chat-backend.ts';
import { REFUSALS } from './frames.ts';
import type { Hub, HubClient } from './hub.ts';
import type { PressTarget } from './press.ts';
import { newConnectionId, newMessageId, newTurnId } from './ids.ts';
import { TokenBucket } from './rate-limit.ts';
import { SendQueue } from './send-queue.ts';
import type { RelaySocket, SocketHandlers } from './socket.ts';
import { channelRefusal, workspaceChannel } from './workspace.ts';
import { settingsProblem } from './turn-settings.ts';

export class ClientConnection implements HubClient, SocketHandlers {
  readonly id = newConnectionId();
  readonly chats = new Set<string>();
  private readonly bucket: TokenBucket;
  /** The rate shared with every connection of the same credential. */
  private readonly shared: TokenBucket;
  private closed = false;
  private pending: Promise<void> = Promise.resolve();
  private readonly out: SendQueue;

  constructor(
    private readonly hub: Hub,
    private readonly socket: RelaySocket,
    readonly clientId: string,
    readonly remote: string,
    private readonly credential: string,
  ) {
    this.bucket = new TokenBucket(hub.config.rateLimit, hub.config.rateBurst, hub.now());
    this.shared = hub.join(remote, credential);
    this.out = new SendQueue(socket, {
      maxBufferedBytes: hub.config.maxBufferedBytes,
      onSlow: (backlog) => {
        this.hub.logger.warn('client too slow, closing', { conn: this.id, buffered: backlog });
        this.close(CLOSE_CODES.slowConsumer, 'slow consumer');
      },
    });
  }

  /** Sends the `ready` frame and joins the hub. */
  start(): void {
    this.hub.clients.add(this);
    this.hub.logger.info('client open', { conn: this.id, client: this.clientId, remote: this.remote });
    this.send({
      type: 'ready',
      protocol: PROTOCOL_VERSION,
      epoch: this.hub.backend.epoch(),
      client_id: this.clientId,
      agent: this.hub.agentInfo(),
      limits: this.hub.limits,
      rate: { per_second: this.hub.config.rateLimit, burst: this.hub.config.rateBurst },
      workspace: workspaceChannel(),
    } satisfies RelayFrame);
  }

  /** Delivers serialized data, dropping a consumer that has stopped reading rather than buffering without bound. */
  deliver(data: string): void {
    if (this.closed || !this.socket.isOpen) return;
    this.out.push(data);
  }

  send(frame: RelayFrame): void {
    this.deliver(JSON.stringify(frame));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    this.onClose(code, reason);
  }

  onClose(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.out.stop();
    for (const chatId of this.chats) this.hub.backend.unsubscribe(chatId, this);
    this.chats.clear();
    this.hub.clients.delete(this);
    this.hub.leave(this.remote, this.credential);
    this.hub.logger.info('client close', { conn: this.id, client: this.clientId, code, reason: reason || undefined });
  }

  onMessage(text: string | undefined, bytes: number): void {
    // Adapters enforce this at the transport (ws maxPayload, the Deno size check); this guards any other adapter.
    if (bytes > this.hub.limits.maxFrameBytes) return this.close(CLOSE_CODES.frameTooLarge, 'frame too large');
    const now = this.hub.now();
    if (!this.bucket.take(now)) {
      this.error('rate_limited', `more than ${this.hub.config.rateLimit} frames per second; slow down and resend`);
      return;
    }
    if (!this.shared.take(now)) {
      const limit = this.hub.config.credentialRateLimit;
      this.error(
        'rate_limited',
        `your connections together sent more than ${limit} frames per second; slow down and resend`,
      );
      return;
    }
    if (text === undefined) {
      this.error('bad_frame', 'binary frames are not accepted; send JSON text');
      return;
    }
    const parsed = parseClientFrame(text, this.hub.limits);
    if (!parsed.ok) {
      const { code, message, chatId, ref } = parsed.error;
      this.error(code, message, chatId, ref);
      return;
    }
    const frame = parsed.value;
    const refusal = channelRefusal(frame);
    if (refusal && 'chat_id' in frame) {
      const ref =
        frame.type === 'history' ? frame.request_id : 'client_msg_id' in frame ? frame.client_msg_id : undefined;
      return this.error(refusal.code, refusal.message, frame.chat_id, ref);
    }
    // Frames of one connection are handled in order, even when a backend answers asynchronously.
    this.pending = this.pending
      .then(() => this.dispatch(frame))
      .catch((err: unknown) => {
        this.hub.logger.error('frame handler failed', {
          conn: this.id,
          error: err instanceof Error ? err.message : String(err),
        });
      });
  }

  private async dispatch(frame: ClientFrame): Promise<void> {
    if (this.closed) return;
    switch (frame.type) {
      case 'subscribe':
        return this.subscribe(frame);
      case 'unsubscribe':
        this.hub.backend.unsubscribe(frame.chat_id, this);
        this.chats.delete(frame.chat_id);
        return this.send({ type: 'unsubscribed', chat_id: frame.chat_id });
      case 'send':
        return this.post(frame);
      case 'continue':
        return this.continueReply(frame);
      case 'stop':
        return this.stop(frame);
      case 'action':
      case 'answer':
        return this.press(frame);
      case 'history':
        return this.history(frame);
      case 'ping':
        return this.send(frame.nonce === undefined ? { type: 'pong' } : { type: 'pong', nonce: frame.nonce });
      case 'workspace_write':
        return this.record(frame);
      case 'import':
        return this.importMessages(frame);
      case 'delete':
        return this.deleteMessage(frame);
    }
  }

  private error(code: ErrorCode, message: string, chatId?: string, ref?: string): void {
    const frame: ErrorFrame = { type: 'error', code, message };
    if (chatId !== undefined) frame.chat_id = chatId;
    if (ref !== undefined) frame.ref = ref;
    this.hub.logger.debug('client error frame', { conn: this.id, code });
    this.send(frame);
  }

  private async subscribe(frame: SubscribeFrame): Promise<void> {
    const backend = this.hub.backend;
    // A different epoch means the seqs the client holds are from an earlier relay lifetime: replay everything.
    const epoch = backend.epoch();
    const sameEpoch = frame.epoch === epoch;
    const afterSeq = sameEpoch ? (frame.after_seq ?? 0) : 0;
    if (!this.chats.has(frame.chat_id) && this.chats.size >= this.hub.config.maxSubscriptions) {
      return this.error(
        'too_many_subscriptions',
        `a connection may follow ${this.hub.config.maxSubscriptions} chats; unsubscribe from some first`,
        frame.chat_id,
      );
    }
    this.chats.add(frame.chat_id);
    try {
      await backend.subscribe(frame.chat_id, this, afterSeq, (replay) => {
        const recovered = replay.recovered && replay.epoch === epoch && (sameEpoch || frame.epoch === undefined);
        this.send({
          type: 'subscribed',
          chat_id: frame.chat_id,
          epoch: replay.epoch,
          head_seq: replay.head,
          recovered,
        });
        // Paced by the socket: a replay of many large messages must not fill the buffer and trip the slow-consumer rule.
        this.out.pushReplay(replay.events);
      });
    } catch (err) {
      this.chats.delete(frame.chat_id);
      if (!(err instanceof StorageUnavailable)) throw err;
      this.error('storage_unavailable', err.message, frame.chat_id);
    }
  }

  private requireSubscribed(chatId: string, ref?: string): boolean {
    if (this.chats.has(chatId)) return true;
    this.error('not_subscribed', `subscribe to ${chatId} before sending to it`, chatId, ref);
    return false;
  }

  private answer(outcome: Outcome, chatId: string, ref: string): void {
    if (outcome.ok) this.send(outcome.ack);
    else this.error(outcome.code, outcome.message, chatId, ref);
  }

  private async post(frame: SendFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id, frame.client_msg_id)) return;
    const problem = frame.settings && settingsProblem(frame.settings, this.hub.agentInfo());
    if (problem) return this.error('invalid_field', problem, frame.chat_id, frame.client_msg_id);
    const again = frame.regenerate;
    // Protocol 2: the message's id is the one its client chose (regenerating names the message asked again).
    const message = {
      id: again?.message_id ?? frame.client_msg_id,
      role: 'user' as const,
      text: frame.text,
      created_at: this.hub.now(),
      ...(frame.attachments?.length ? { attachments: frame.attachments } : {}),
      // Edit-and-resend: the new message is a version of the one edited; after a switched version, what it follows.
      ...(frame.version_of !== undefined && !again ? { version_of: frame.version_of } : {}),
      ...(frame.reply_to !== undefined && !again ? { reply_to: frame.reply_to } : {}),
    };
    let group: string | undefined;
    try {
      group = again && (await this.replacedGroup(frame.chat_id, again.replaces));
    } catch (err) {
      if (!(err instanceof StorageUnavailable)) throw err;
      return this.answer(REFUSALS.historyDown, frame.chat_id, frame.client_msg_id);
    }
    const outcome = await this.hub.backend.send({
      chatId: frame.chat_id,
      clientMsgId: frame.client_msg_id,
      message,
      // Regenerating posts no message (the user's stays as it is) but logs the request; the old reply stays.
      ...(again ? { regenerate: again } : {}),
      turn: {
        chat_id: frame.chat_id,
        turn_id: newTurnId(),
        message_id: newMessageId(),
        input: { kind: 'message', message },
        context: frame.context ?? [],
        ...((frame.settings?.model ?? frame.model) !== undefined
          ? { model: frame.settings?.model ?? frame.model }
          : {}),
        ...(frame.settings ? { settings: frame.settings } : {}),
        ...(group !== undefined ? { version_of: group } : {}),
      },
    });
    this.answer(outcome, frame.chat_id, frame.client_msg_id);
  }

  /** The version group of the reply a regenerate replaces: its first version's id (itself, when it is the first). */
  private async replacedGroup(chatId: string, replaces: string): Promise<string> {
    const replaced = await this.hub.backend.findMessage(chatId, replaces);
    return replaced?.version_of ?? replaces;
  }

  /** Deletes a message on every device (a `retract`), once per client_msg_id. */
  private async deleteMessage(frame: DeleteFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id, frame.client_msg_id)) return;
    const outcome = await this.hub.backend.retract({
      chatId: frame.chat_id,
      clientMsgId: frame.client_msg_id,
      messageId: frame.message_id,
    });
    this.answer(outcome, frame.chat_id, frame.client_msg_id);
  }

  /** Continues a stopped or failed reply (relay/core/continue.ts). */
  private async continueReply(frame: ContinueFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id, frame.client_msg_id)) return;
    const problem = frame.settings && settingsProblem(frame.settings, this.hub.agentInfo());
    if (problem) return this.error('invalid_field', problem, frame.chat_id, frame.client_msg_id);
    this.answer(await continueReply(this.hub.backend, frame), frame.chat_id, frame.client_msg_id);
  }

  private async record(frame: WorkspaceWriteFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id, frame.client_msg_id)) return;
    const outcome = await this.hub.backend.record({
      chatId: frame.chat_id,
      clientMsgId: frame.client_msg_id,
      changes: frame.changes,
    });
    this.answer(outcome, frame.chat_id, frame.client_msg_id);
  }

  private async importMessages(frame: ImportFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id, frame.client_msg_id)) return;
    const outcome = await this.hub.backend.importMessages({
      chatId: frame.chat_id,
      clientMsgId: frame.client_msg_id,
      messages: frame.messages,
    });
    this.answer(outcome, frame.chat_id, frame.client_msg_id);
  }

  private async stop(frame: StopFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id)) return;
    if (!(await this.hub.backend.stop(frame.chat_id, frame.turn_id))) {
      this.error('no_active_turn', 'no turn is running in this chat', frame.chat_id);
    }
  }

  /** A button press or an answer to an agent's request: both are pressed once, through the backend's `press`. */
  private async press(frame: ActionFrame | AnswerFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id, frame.client_msg_id)) return;
    const target: PressTarget =
      frame.type === 'action'
        ? { kind: 'button', actionId: frame.action_id }
        : {
            kind: 'answer',
            requestId: frame.request_id,
            answer: frame.answer,
            by: { client_id: this.clientId, ...(frame.device ? { device: frame.device } : {}) },
          };
    const outcome = await this.hub.backend.press({
      chatId: frame.chat_id,
      clientMsgId: frame.client_msg_id,
      messageId: frame.message_id,
      target,
      turnFor: (input) => ({
        chat_id: frame.chat_id,
        turn_id: newTurnId(),
        message_id: newMessageId(),
        input,
        context: [],
      }),
    });
    this.answer(outcome, frame.chat_id, frame.client_msg_id);
  }

  private async history(frame: HistoryFrame): Promise<void> {
    if (!this.requireSubscribed(frame.chat_id, frame.request_id)) return;
    const agent = this.hub.agent;
    if (!agent.history) {
      return this.error(
        'history_unsupported',
        `${agent.info().name} keeps no history`,
        frame.chat_id,
        frame.request_id,
      );
    }
    try {
      const page = await agent.history({
        chat_id: frame.chat_id,
        limit: frame.limit ?? 100,
        ...(frame.before !== undefined ? { before: frame.before } : {}),
      });
      this.send({ type: 'history_result', chat_id: frame.chat_id, request_id: frame.request_id, ...page });
    } catch (err) {
      const message = err instanceof Error ? err.message : 'history request failed';
      const code = err instanceof HistoryUnsupported ? 'history_unsupported' : 'agent_unavailable';
      this.error(code, message, frame.chat_id, frame.request_id);
    }
  }
}
