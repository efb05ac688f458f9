/** The default backend: every chat held in this process, turns queued and run here. */

import type { ChatBackend, Outcome, PressInput, SendInput, Subscriber } from './chat-backend.ts';
import { ChatRoom } from './chat-room.ts';
import { deliveryOf } from './coalescer.ts';
import { ackFrame, REFUSALS } from './frames.ts';
import type { ReplayLimits } from './chat-log.ts';
import { queueRefusal, type QueueLimits } from './turn-queue.ts';
import { beginTurn, runTurn, type TurnDeps, type TurnSink } from './turn-runner.ts';

/** Chats forgotten by `sweep` are remembered by their last seq, so a recreated chat continues it. */
const MAX_TOMBSTONES = 100_000;

export interface LocalOptions {
  epoch: string;
  replay: ReplayLimits;
  idempotencyWindow: number;
  /** Turns and their bytes one chat may hold waiting behind its running turn. */
  queue: QueueLimits;
}

export class LocalBackend implements ChatBackend {
  readonly rooms = new Map<string, ChatRoom>();
  private readonly tombstones = new Map<string, number>();
  /** The highest seq of any tombstone dropped for space: unknown chats start above it. */
  private floor = 0;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly options: LocalOptions,
    private readonly deps: TurnDeps,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    // Never keep the process alive just for the sweep (Node has unref; Deno's timers are numbers).
    if (typeof this.sweeper === 'object' && 'unref' in this.sweeper) this.sweeper.unref();
  }

  epoch(): string {
    return this.options.epoch;
  }

  room(chatId: string): ChatRoom {
    let room = this.rooms.get(chatId);
    if (!room) {
      const startSeq = this.tombstones.get(chatId) ?? this.floor;
      this.tombstones.delete(chatId);
      const { epoch, replay, idempotencyWindow } = this.options;
      const delivery = deliveryOf(this.deps);
      room = new ChatRoom(chatId, { epoch, replay, idempotencyWindow, now: this.deps.now, delivery }, startSeq);
      this.rooms.set(chatId, room);
    }
    return room;
  }

  async subscribe(
    chatId: string,
    sub: Subscriber,
    afterSeq: number,
    onReplay: Parameters<ChatBackend['subscribe']>[3],
  ) {
    const room = this.room(chatId);
    // All synchronous: no live event can arrive between the replay and joining the live set.
    const replay = room.subscribe(sub, afterSeq);
    onReplay({ epoch: this.options.epoch, head: room.log.head, ...replay });
  }

  unsubscribe(chatId: string, sub: Subscriber): void {
    this.rooms.get(chatId)?.unsubscribe(sub);
  }

  async send(input: SendInput): Promise<Outcome> {
    const room = this.room(input.chatId);
    const seen = room.ackFor(input.clientMsgId);
    if (seen) return { ok: true, ack: seen };
    const full = queueRefusal(room.queue, input.turn, this.options.queue);
    if (full) return full;
    const event = room.publish(
      input.retract === undefined
        ? { type: 'message', message: input.message }
        : { type: 'retract', message_id: input.retract },
    );
    const ack = ackFrame(input.chatId, input.clientMsgId, input.message.id, event.seq);
    room.rememberAck(ack);
    this.enqueue(room, input.turn);
    return { ok: true, ack };
  }

  async press(input: PressInput): Promise<Outcome> {
    const room = this.room(input.chatId);
    const seen = room.ackFor(input.clientMsgId);
    if (seen) return { ok: true, ack: seen };
    const target = room.findMessage(input.messageId);
    const button = target?.buttons?.flat().find((b) => b.id === input.actionId);
    if (!target || !button) return REFUSALS.buttonGone;
    const turn = input.turnFor(button.label);
    const full = queueRefusal(room.queue, turn, this.options.queue);
    if (full) return full;
    if (target.used_actions?.includes(button.id)) return REFUSALS.buttonUsed;
    const event = room.publish({ type: 'action_used', message_id: target.id, action_id: button.id });
    const ack = ackFrame(input.chatId, input.clientMsgId, target.id, event.seq);
    room.rememberAck(ack);
    this.enqueue(room, turn);
    return { ok: true, ack };
  }

  async stop(chatId: string, turnId: string | undefined): Promise<boolean> {
    const active = this.rooms.get(chatId)?.active;
    if (!active || (turnId !== undefined && turnId !== active.request.turn_id)) return false;
    active.abort.abort();
    return true;
  }

  status(): { ok: boolean } {
    return { ok: true };
  }

  chatCount(): number {
    return this.rooms.size;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const room of this.rooms.values()) room.active?.abort.abort();
  }

  /** Forgets chats nobody follows and nothing is left of; returns how many went. */
  sweep(): number {
    let removed = 0;
    for (const [id, room] of this.rooms) {
      if (!room.isIdle()) continue;
      this.rooms.delete(id);
      this.tombstones.set(id, room.log.head);
      removed++;
    }
    for (const [id, head] of this.tombstones) {
      if (this.tombstones.size <= MAX_TOMBSTONES) break;
      this.tombstones.delete(id);
      this.floor = Math.max(this.floor, head);
    }
    return removed;
  }

  private enqueue(room: ChatRoom, turn: SendInput['turn']): void {
    room.queue.push(turn);
    this.startNext(room);
  }

  /** Runs the chat's turns one at a time, in the order they were queued. */
  private startNext(room: ChatRoom): void {
    if (room.active) return;
    const request = room.queue.shift();
    if (!request) return;
    const active = beginTurn(request, this.deps.now());
    room.active = active;
    const sink = {
      publish: (event: Parameters<ChatRoom['publish']>[0]) => room.publish(event),
      findAssistant: (id: string) => {
        const m = room.findMessage(id);
        return m?.role === 'assistant' ? m : undefined;
      },
      end: (event: Parameters<TurnSink['end']>[0], message: typeof active.message) => {
        const end = room.publish(event);
        const compacted = { type: 'message' as const, chat_id: room.chatId, seq: end.seq, epoch: end.epoch, message };
        room.log.compactTurn(request.turn_id, compacted, this.deps.now());
      },
    };
    void runTurn(active, sink, this.deps).finally(() => {
      room.active = undefined;
      this.startNext(room);
    });
  }
}
