/**
 * Delivery of one chat's events as frames: a chat's turn output leaves at most once per `--coalesce-ms`
 * (and at the end of the tick it became ready in, when the chat was quiet for longer), as one `events` frame
 * serialized once for all of the chat's subscribers on this relay. Both backends deliver through it; seqs,
 * the log and replays are untouched.
 */

import { LIMITS, packEvents, TURN_OUTPUT_TYPES, type ChatEvent, type TurnOutputEvent } from '../../shared/index.ts';
import type { TurnDeps } from './turn-runner.ts';

/** One frame on its way to a chat's subscribers, and the seqs it covers. */
export interface Batch {
  first: number;
  last: number;
  data: string;
  /** The events behind `data` when it covers more than one, for a subscriber that already has the first ones. */
  events: readonly TurnOutputEvent[];
}

export interface CoalescerOptions {
  /** `--coalesce-ms`: how long the first event of a frame may wait for the next ones; 0 sends each alone. */
  windowMs: number;
  /** `--max-frame-bytes`: a coalesced frame stays well below it. */
  maxFrameBytes: number;
}

/** The delivery settings of a configuration, the same for both backends. */
export function deliveryOf(deps: TurnDeps): CoalescerOptions {
  return { windowMs: deps.coalesceMs ?? 0, maxFrameBytes: deps.maxFrameBytes ?? LIMITS.maxFrameBytes };
}

/** A coalesced frame holds at most this many characters of the events' own frames (64 KiB of UTF-8 at most). */
const MAX_CHARS = 21_000;

const OUTPUT_TYPES = new Set<string>(TURN_OUTPUT_TYPES);

function isTurnOutput(event: ChatEvent): event is TurnOutputEvent {
  return OUTPUT_TYPES.has(event.type);
}

export class Coalescer {
  private pending: TurnOutputEvent[] = [];
  private pendingData: string[] = [];
  private pendingChars = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When output last left (ms): the window runs from there, so a steady stream gives one frame per window. */
  private lastSent = Number.NEGATIVE_INFINITY;
  /** Characters of event frames one coalesced frame may hold: a character is at most 3 bytes of UTF-8. */
  private readonly maxChars: number;

  constructor(
    private readonly options: CoalescerOptions,
    private readonly emit: (batch: Batch) => void,
  ) {
    this.maxChars = Math.min(MAX_CHARS, Math.floor(options.maxFrameBytes / 8));
  }

  /**
   * Offers the chat's next event (seq order) as its serialized frame. `event` is the same event parsed,
   * when the caller has it; without it, or for anything but turn output, what waits goes first and the
   * frame follows on its own.
   */
  add(seq: number, data: string, event?: ChatEvent): void {
    if (this.options.windowMs <= 0 || !event || !isTurnOutput(event) || data.length > this.maxChars / 4) {
      this.flush();
      this.emit({ first: seq, last: seq, data, events: [] });
      return;
    }
    const last = this.pending.at(-1);
    const joins = last && last.turn_id === event.turn_id && last.epoch === event.epoch && last.seq + 1 === event.seq;
    if (last && (!joins || this.pendingChars + data.length > this.maxChars)) this.flush();
    this.pending.push(event);
    this.pendingData.push(data);
    this.pendingChars += data.length;
    if (this.timer === undefined) {
      // A chat quiet for a whole window still waits for the end of this tick: what the agent has ready now goes too.
      const wait = Math.max(0, this.lastSent + this.options.windowMs - Date.now());
      this.timer = setTimeout(() => this.flush(), wait);
      if (typeof this.timer === 'object') this.timer.unref();
    }
  }

  /** Sends what waits now (before a subscriber reads the log, so it gets each event exactly once). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending;
    const data = this.pendingData;
    const [first] = events;
    if (!first) return;
    this.pending = [];
    this.pendingData = [];
    this.pendingChars = 0;
    this.lastSent = Date.now();
    const last = first.seq + events.length - 1;
    if (events.length === 1) this.emit({ first: first.seq, last, data: data[0] ?? '', events });
    else this.emit({ first: first.seq, last, data: JSON.stringify(packEvents([first, ...events.slice(1)])), events });
  }

  /** Drops what waits (nobody is left to receive it). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.pendingData = [];
    this.pendingChars = 0;
  }
}

/** The frame for a subscriber that already has everything up to `after`, which falls inside the batch. */
export function batchAfter(batch: Batch, after: number): string {
  const rest = batch.events.filter((e) => e.seq > after);
  const [first, ...more] = rest;
  if (!first) return batch.data;
  return JSON.stringify(more.length === 0 ? first : packEvents([first, ...more]));
}
