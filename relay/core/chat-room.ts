/** One chat held in this process: its subscribers, sequence and replay log, idempotency window and turn queue. */

import {
  foldEvent,
  type AckFrame,
  type ChatEvent,
  type ChatMessage,
  type ErrorFrame,
  type TurnRequest,
} from '../../shared/index.ts';
import type { Subscriber } from './chat-backend.ts';
import { ChatLog, type Durable, type Replay, type ReplayLimits } from './chat-log.ts';
import { Coalescer, type CoalescerOptions } from './coalescer.ts';
import { IdempotencyWindow } from './idempotency-window.ts';
import { utf8Bytes } from './json-size.ts';
import type { ActiveTurn, UnstampedEvent } from './turn-runner.ts';

export interface RoomOptions {
  epoch: string;
  replay: ReplayLimits;
  idempotencyWindow: number;
  now: () => number;
  delivery: CoalescerOptions;
}

export class ChatRoom {
  readonly log: ChatLog;
  readonly acks: IdempotencyWindow;
  readonly subscribers = new Set<Subscriber>();
  readonly queue: TurnRequest[] = [];
  active: ActiveTurn | undefined;
  /** Why a turn was left unended: its storage refused an event. The turn ends once the storage takes writes again. */
  cutOff: string | undefined;
  private readonly outgoing: Coalescer;

  constructor(
    readonly chatId: string,
    private readonly options: RoomOptions,
    startSeq = 0,
    /** The chat's stored history, when the relay keeps one. */
    durable?: Durable,
  ) {
    this.log = new ChatLog(options.replay, startSeq, durable);
    const { idempotencyWindow, replay } = options;
    this.acks = new IdempotencyWindow(idempotencyWindow, replay.maxAgeMs, durable?.history, durable?.loaded.acks);
    this.outgoing = new Coalescer(options.delivery, (batch) => {
      for (const sub of this.subscribers) sub.deliver(batch.data);
    });
  }

  /** Stamps the next seq on an event, logs it, and sends it to every subscriber (serialized once, maybe with the next ones). */
  publish(event: UnstampedEvent): ChatEvent {
    // Spreading a union loses the link between `type` and its fields; the input was one well-typed member.
    const stamped = { ...event, chat_id: this.chatId, seq: this.log.nextSeq(), epoch: this.options.epoch } as ChatEvent;
    const data = JSON.stringify(stamped);
    this.log.append(stamped, this.options.now(), utf8Bytes(data));
    if (stamped.type === 'message_edit' || stamped.type === 'action_used' || stamped.type === 'request_answered')
      this.revise(stamped);
    this.outgoing.add(stamped.seq, data, stamped);
    return stamped;
  }

  /** Sends every subscriber a frame outside the chat's stream (no seq, not kept), after what waits to go out. */
  notify(frame: ErrorFrame): void {
    this.outgoing.flush();
    const data = JSON.stringify(frame);
    for (const sub of this.subscribers) sub.deliver(data);
  }

  /** Subscribes and returns what the subscriber missed since `afterSeq` (0: everything held). */
  subscribe(sub: Subscriber, afterSeq: number): Replay {
    // What waits is in the log already: the others get it now, the newcomer in its replay.
    this.outgoing.flush();
    this.subscribers.add(sub);
    return this.log.replay(afterSeq, this.options.now());
  }

  unsubscribe(sub: Subscriber): void {
    this.subscribers.delete(sub);
  }

  /** A whole message as the room knows it: the running turn's, or one still in the log. */
  findMessage(id: string): ChatMessage | undefined {
    if (this.active?.message.id === id) return this.active.message;
    return this.log.findMessage(id);
  }

  /** Folds an edit or a press into the room's copy of the message it targets, so later checks and replays see it. */
  private revise(event: Extract<ChatEvent, { type: 'message_edit' | 'action_used' | 'request_answered' }>): void {
    if (this.active?.message.id === event.message_id) this.active.message = foldEvent(this.active.message, event);
    else this.log.reviseMessage(event.message_id, (m) => foldEvent(m, event));
  }

  rememberAck(ack: AckFrame): void {
    this.acks.remember(ack, this.options.now());
  }

  ackFor(clientMsgId: string): AckFrame | undefined {
    return this.acks.get(clientMsgId, this.options.now());
  }

  /** Lets go of the chat's stored history (it stays stored). */
  close(): void {
    this.log.close();
  }

  /** No subscribers, no turn, nothing left to replay (or all of it stored): the relay may forget this chat. */
  isIdle(): boolean {
    return (
      this.subscribers.size === 0 && !this.active && this.queue.length === 0 && this.log.isIdle(this.options.now())
    );
  }
}
