/** The default backend: every chat held in this process (its history kept by a store, if any), turns run here. */

import { foldEvent, type ChatMessage } from '../../shared/index.ts';
import {
  StorageUnavailable,
  type ChatBackend,
  type Outcome,
  type PressInput,
  type RetractInput,
  type SendInput,
  type Subscriber,
} from './chat-backend.ts';
import { ChatRoom } from './chat-room.ts';
import { deliveryOf } from './coalescer.ts';
import { ackFrame, cutOffNotice, REFUSALS, turnEnd, type TurnEnd } from './frames.ts';
import { planPress } from './press.ts';
import type { ReplayLimits } from './chat-log.ts';
import type { HistoryStatus, HistoryStore } from './history-store.ts';
import { queueRefusal, type QueueLimits } from './turn-queue.ts';
import { beginTurn, runTurn, type TurnDeps, type TurnSink, type UnstampedEvent } from './turn-runner.ts';
import { clockRefusal, compactWorkspace, CompactionSchedule, workspaceEvent, type RecordInput } from './workspace.ts';
import { importedEvent, type ImportInput } from './import.ts';

const CUT_OFF = 'The relay could not write this chat history to disk, so this reply stopped here.';

/** Chats forgotten by `sweep` are remembered by their last seq, so a recreated chat continues it. */
const MAX_TOMBSTONES = 100_000;

export interface LocalOptions {
  epoch: string;
  replay: ReplayLimits;
  idempotencyWindow: number;
  /** Turns and their bytes one chat may hold waiting behind its running turn. */
  queue: QueueLimits;
  /** Keeps every chat's history across restarts; without one, a chat lives as long as its replay window. */
  store?: HistoryStore;
}

export class LocalBackend implements ChatBackend {
  readonly rooms = new Map<string, ChatRoom>();
  private readonly tombstones = new Map<string, number>();
  /** The highest seq of any tombstone dropped for space: unknown chats start above it. */
  private floor = 0;
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly turns = new Set<Promise<void>>();
  private readonly compaction = new CompactionSchedule();

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

  /** The chat's room, opened from the store (or continuing a forgotten chat's seq) when not in memory. */
  room(chatId: string): ChatRoom {
    const held = this.rooms.get(chatId);
    if (held) return held;
    const { epoch, replay, idempotencyWindow, store } = this.options;
    const options = { epoch, replay, idempotencyWindow, now: this.deps.now, delivery: deliveryOf(this.deps) };
    let room: ChatRoom;
    if (store) {
      const now = this.deps.now();
      room = new ChatRoom(chatId, options, 0, { ...store.open(chatId, now), now });
    } else {
      room = new ChatRoom(chatId, options, this.tombstones.get(chatId) ?? this.floor);
      this.tombstones.delete(chatId);
    }
    this.rooms.set(chatId, room);
    this.endUnfinished(room);
    return room;
  }

  /**
   * A stored turn with no end was running when the relay stopped: nothing will finish it, so it ends now with an
   * error, keeping what its clients were sent, and compacts like any other.
   */
  private endUnfinished(room: ChatRoom, why = 'The relay stopped before this reply finished.'): void {
    const events = room.log.unfinishedTurn();
    const turns = new Map<string, ChatMessage | undefined>();
    for (const event of events) {
      if (!('turn_id' in event) || event.type === 'typing') continue;
      turns.set(
        event.turn_id,
        foldEvent(turns.get(event.turn_id), event, event.type === 'turn_start' ? this.deps.now() : 0),
      );
    }
    for (const [turnId, message] of turns) {
      if (!message) continue;
      const end = turnEnd({ turn_id: turnId, message_id: message.id }, 'error', why);
      this.endTurn(room, turnId, end, foldEvent(message, end));
      this.deps.logger.info('ended a turn the relay stopped in', { chat: room.chatId, turn: turnId });
    }
  }

  /** Publishes a turn's `turn_end` and puts its whole message in the log in place of its events. */
  private endTurn(room: ChatRoom, turnId: string, event: TurnEnd, message: ChatMessage): void {
    const end = room.publish(event);
    const compacted = { type: 'message' as const, chat_id: room.chatId, seq: end.seq, epoch: end.epoch, message };
    room.log.compactTurn(turnId, compacted, this.deps.now());
  }

  /** Resolves once what was just logged is durable; an outcome that cannot be kept is refused, not acked. */
  private async durable(outcome: Outcome): Promise<Outcome> {
    if (!outcome.ok || !this.options.store) return outcome;
    try {
      await this.options.store.sync();
      return outcome;
    } catch {
      return REFUSALS.historyDown;
    }
  }

  /** Runs `accept` on the chat's room; a store that cannot take the write refuses it. */
  private async accept(chatId: string, accept: (room: ChatRoom) => Outcome): Promise<Outcome> {
    let outcome: Outcome;
    try {
      const room = this.room(chatId);
      this.endCutOff(room);
      outcome = accept(room);
    } catch (err) {
      if (err instanceof StorageUnavailable) return REFUSALS.historyDown;
      throw err;
    }
    return this.durable(outcome);
  }

  async subscribe(
    chatId: string,
    sub: Subscriber,
    afterSeq: number,
    onReplay: Parameters<ChatBackend['subscribe']>[3],
  ) {
    const room = this.room(chatId);
    try {
      this.endCutOff(room);
    } catch (err) {
      if (!(err instanceof StorageUnavailable)) throw err;
    }
    // All synchronous: no live event can arrive between the replay and joining the live set.
    const replay = room.subscribe(sub, afterSeq);
    onReplay({ epoch: this.options.epoch, head: room.log.head, ...replay });
    // The replay ends in a turn that cannot end yet: say why, as its live subscribers were told.
    if (room.cutOff) sub.deliver(JSON.stringify(cutOffNotice(room.chatId, room.cutOff)));
  }

  /** Ends the turn its storage cut off, once the storage takes writes again (throws StorageUnavailable until then). */
  private endCutOff(room: ChatRoom): void {
    if (!room.cutOff || room.active) return;
    this.endUnfinished(room, room.cutOff);
    room.cutOff = undefined;
    // The turns queued behind it waited for the store (see startNext).
    this.startNext(room);
  }

  unsubscribe(chatId: string, sub: Subscriber): void {
    this.rooms.get(chatId)?.unsubscribe(sub);
  }

  send(input: SendInput): Promise<Outcome> {
    return this.accept(input.chatId, (room) => this.post(room, input));
  }

  private post(room: ChatRoom, input: SendInput): Outcome {
    const seen = room.ackFor(input.clientMsgId);
    if (seen) return { ok: true, ack: seen };
    const full = queueRefusal(room.queue, input.turn, this.options.queue);
    if (full) return full;
    const event = room.publish(
      input.regenerate === undefined
        ? { type: 'message', message: input.message }
        : { type: 'regenerate', ...input.regenerate },
    );
    const ack = ackFrame(input.chatId, input.clientMsgId, input.message.id, event.seq);
    room.rememberAck(ack);
    this.enqueue(room, input.turn);
    return { ok: true, ack };
  }

  record(input: RecordInput): Promise<Outcome> {
    const refused = clockRefusal(input.changes, this.deps.now());
    if (refused) return Promise.resolve(refused);
    return this.accept(input.chatId, (room) => {
      const seen = room.ackFor(input.clientMsgId);
      if (seen) return { ok: true, ack: seen };
      const event = room.publish(workspaceEvent(input));
      const ack = ackFrame(input.chatId, input.clientMsgId, input.clientMsgId, event.seq);
      room.rememberAck(ack);
      if (this.compaction.wrote(input.changes.length)) this.compactWorkspace(room);
      return { ok: true, ack };
    });
  }

  importMessages(input: ImportInput): Promise<Outcome> {
    return this.logOnce(input.chatId, input.clientMsgId, importedEvent(input));
  }

  retract(input: RetractInput): Promise<Outcome> {
    return this.logOnce(input.chatId, input.clientMsgId, { type: 'retract', message_id: input.messageId });
  }

  /** Logs `unstamped` once per `clientMsgId` (a repeat gets the first ack); no turn runs. */
  private logOnce(chatId: string, clientMsgId: string, unstamped: UnstampedEvent): Promise<Outcome> {
    return this.accept(chatId, (room) => {
      const seen = room.ackFor(clientMsgId);
      if (seen) return { ok: true, ack: seen };
      const event = room.publish(unstamped);
      const ack = ackFrame(chatId, clientMsgId, clientMsgId, event.seq);
      room.rememberAck(ack);
      return { ok: true, ack };
    });
  }

  /** Drops the workspace changes that lost from its log, stored and in memory (the rule: `compactWorkspace`). */
  private compactWorkspace(room: ChatRoom): void {
    let live = 0;
    let dropped = 0;
    const started = this.deps.now();
    try {
      room.log.rewriteAll((entries) => {
        const result = compactWorkspace(entries);
        ({ live, dropped } = result);
        // Nothing lost since the last time: the history stays as it is, unwritten.
        return dropped === 0 ? entries : result.kept;
      }, this.deps.now());
    } catch (err) {
      // The write itself is logged and acked; the next one tries again.
      this.deps.logger.warn('workspace compaction failed', { chat: room.chatId, error: String(err) });
      return;
    }
    this.compaction.compacted(live);
    const ms = this.deps.now() - started;
    this.deps.logger.info('workspace compacted', { chat: room.chatId, live, dropped, ms });
  }

  async findMessage(chatId: string, id: string): Promise<ChatMessage | undefined> {
    const room = this.room(chatId);
    // A withdrawn reply is gone for every device, as folding the Redis log finds it (`messageIn`).
    return room.log.retracted(id) ? undefined : room.findMessage(id);
  }

  press(input: PressInput): Promise<Outcome> {
    return this.accept(input.chatId, (room) => this.pressIn(room, input));
  }

  private pressIn(room: ChatRoom, input: PressInput): Outcome {
    const seen = room.ackFor(input.clientMsgId);
    if (seen) return { ok: true, ack: seen };
    const plan = planPress(
      input.messageId,
      input.target,
      room.findMessage(input.messageId),
      this.deps.now(),
      input.turnFor,
    );
    if (!plan.ok) return plan;
    const full = queueRefusal(room.queue, plan.turn, this.options.queue);
    if (full) return full;
    const event = room.publish(plan.event);
    const ack = ackFrame(input.chatId, input.clientMsgId, input.messageId, event.seq);
    room.rememberAck(ack);
    this.enqueue(room, plan.turn);
    return { ok: true, ack };
  }

  async stop(chatId: string, turnId: string | undefined): Promise<boolean> {
    const active = this.rooms.get(chatId)?.active;
    if (!active || (turnId !== undefined && turnId !== active.request.turn_id)) return false;
    active.abort.abort();
    return true;
  }

  status(): { ok: boolean; detail?: string } {
    const history = this.history();
    return history.ok ? { ok: true } : { ok: false, detail: `history store: ${history.error ?? 'failed'}` };
  }

  history(): HistoryStatus {
    return this.options.store?.status() ?? { kind: 'memory', ok: true };
  }

  chatCount(): number {
    return this.rooms.size;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const room of this.rooms.values()) room.active?.abort.abort();
    // A stopped turn still logs its end: the store closes after it.
    await Promise.allSettled([...this.turns]);
    await this.options.store?.close();
  }

  /** Forgets chats nobody follows and nothing is left of; returns how many went. */
  sweep(): number {
    let removed = 0;
    for (const [id, room] of this.rooms) {
      if (!room.isIdle()) continue;
      this.rooms.delete(id);
      room.close();
      if (!this.options.store) this.tombstones.set(id, room.log.head);
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
    // After a cut-off the queued turns wait, still queued, for the store to take writes again.
    if (room.active || room.cutOff) return;
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
      end: (event: Parameters<TurnSink['end']>[0], message: typeof active.message) =>
        this.endTurn(room, request.turn_id, event, message),
    };
    const turn = runTurn(active, sink, this.deps)
      .catch((err: unknown) => {
        // The store refused an event: the turn cannot end in the log yet. Its clients are told now, and the turn
        // ends with an error once the store takes writes again (the next send or subscribe), or when the chat
        // reopens after a restart.
        this.deps.logger.error('turn cut off by its storage', { chat: room.chatId, error: String(err) });
        room.cutOff = CUT_OFF;
        room.notify(cutOffNotice(room.chatId, CUT_OFF));
      })
      .finally(() => {
        this.turns.delete(turn);
        room.active = undefined;
        this.startNext(room);
      });
    this.turns.add(turn);
  }
}
