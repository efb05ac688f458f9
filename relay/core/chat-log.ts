/** One chat's sequence counter and bounded replay buffer, with finished turns compacted to one message. */

import type { AckFrame, ChatEvent, ChatMessage, MessageEvent } from '../../shared/index.ts';
import { valueBytes } from './json-size.ts';
import { isRecovered, RUNNING_TURN_FACTOR } from './replay-window.ts';

interface Entry {
  event: ChatEvent;
  at: number;
  /** The event's size serialized (UTF-8), counted against `maxBytes`. */
  bytes: number;
}

export interface ReplayLimits {
  maxEvents: number;
  maxAgeMs: number;
  /** Serialized bytes of the entries kept (a running turn's events count once it is compacted). */
  maxBytes: number;
}

/** The replay bounds a configuration asks for, in the shape both backends take. */
export function replayLimits(c: {
  replayMaxEvents: number;
  replayMaxAgeSec: number;
  replayMaxBytes: number;
}): ReplayLimits {
  return { maxEvents: c.replayMaxEvents, maxAgeMs: c.replayMaxAgeSec * 1000, maxBytes: c.replayMaxBytes };
}

export interface Replay {
  events: ChatEvent[];
  /** True when `events` is everything after the requested point. */
  recovered: boolean;
}

/** Events that build a turn's own message; a finished turn replaces them with one `message`. */
function buildsTurnMessage(event: ChatEvent, turnId: string): boolean {
  return 'turn_id' in event && event.turn_id === turnId;
}

export class ChatLog {
  /** The seq of the newest event; 0 before the first. */
  head = 0;
  /** Every event with seq ≤ this has left the buffer. */
  private evictedThrough = 0;
  private entries: Entry[] = [];
  /** Offset of the first live entry, so eviction from the front is O(1) amortised. */
  private start = 0;
  /** Entries of the turn still running; they do not count against `maxEvents` until it is compacted. */
  private openTurnEntries = 0;
  /** Bytes of all live entries, and of the running turn's among them (exempt from `maxBytes` like its count). */
  private bytes = 0;
  private openTurnBytes = 0;

  /**
   * `startAt` continues the seq of a chat this relay forgot earlier in the same epoch, so a
   * client holding an old seq is told it cannot be recovered instead of being matched to new events.
   */
  constructor(
    private readonly limits: ReplayLimits,
    startAt = 0,
  ) {
    this.head = startAt;
    this.evictedThrough = startAt;
  }

  nextSeq(): number {
    return ++this.head;
  }

  /** `bytes` is the event's serialized size when the caller has it already. */
  append(event: ChatEvent, now: number, bytes = valueBytes(event)): void {
    this.entries.push({ event, at: now, bytes });
    this.bytes += bytes;
    if ('turn_id' in event) {
      this.openTurnEntries++;
      this.openTurnBytes += bytes;
    }
    this.trim(now);
  }

  /** Serialized bytes of the events held, for the relay's stats and tests. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Replaces a finished turn's events with its whole message, placed where the turn ended. */
  compactTurn(turnId: string, message: MessageEvent, now: number): void {
    const kept: Entry[] = [];
    let bytes = 0;
    for (let i = this.start; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (!entry || buildsTurnMessage(entry.event, turnId)) continue;
      kept.push(entry);
      bytes += entry.bytes;
    }
    const size = valueBytes(message);
    kept.push({ event: message, at: now, bytes: size });
    this.entries = kept;
    this.bytes = bytes + size;
    this.start = 0;
    this.openTurnEntries = 0;
    this.openTurnBytes = 0;
    this.trim(now);
  }

  /** The newest logged copy of a whole message, for applying edits and button presses to it. */
  findMessage(id: string): ChatMessage | undefined {
    for (let i = this.entries.length - 1; i >= this.start; i--) {
      const event = this.entries[i]?.event;
      if (event?.type === 'message' && event.message.id === id) return event.message;
    }
    return undefined;
  }

  /**
   * Events after `afterSeq`. `recovered` is false when some of them were evicted, so
   * the caller gets what is left and knows the rest must come from elsewhere.
   */
  replay(afterSeq: number, now: number): Replay {
    this.trim(now);
    const events: ChatEvent[] = [];
    for (let i = this.start; i < this.entries.length; i++) {
      const event = this.entries[i]?.event;
      if (event && event.seq > afterSeq) events.push(event);
    }
    return { events, recovered: isRecovered(afterSeq, this.head, this.evictedThrough) };
  }

  get size(): number {
    return this.entries.length - this.start;
  }

  /** True when nothing is left worth keeping the chat for. */
  isIdle(now: number): boolean {
    this.trim(now);
    return this.size === 0;
  }

  trim(now: number): void {
    const oldest = now - this.limits.maxAgeMs;
    const hardCap = this.limits.maxEvents * RUNNING_TURN_FACTOR;
    while (this.start < this.entries.length) {
      const entry = this.entries[this.start];
      if (!entry) break;
      const overCount = this.size - this.openTurnEntries > this.limits.maxEvents || this.size > hardCap;
      const overBytes = this.bytes - this.openTurnBytes > this.limits.maxBytes;
      if (!overCount && !overBytes && entry.at >= oldest) break;
      this.evictedThrough = Math.max(this.evictedThrough, entry.event.seq);
      this.bytes -= entry.bytes;
      if ('turn_id' in entry.event) {
        this.openTurnEntries--;
        this.openTurnBytes -= entry.bytes;
      }
      this.start++;
    }
    if (this.start > 1024 && this.start * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
  }
}

/** Remembers the acks of recent sends so a resend is answered, not repeated. */
export class IdempotencyWindow {
  private readonly acks = new Map<string, { ack: AckFrame; at: number }>();

  constructor(
    private readonly max: number,
    private readonly maxAgeMs: number,
  ) {}

  get(clientMsgId: string, now: number): AckFrame | undefined {
    const hit = this.acks.get(clientMsgId);
    if (!hit) return undefined;
    if (hit.at < now - this.maxAgeMs) {
      this.acks.delete(clientMsgId);
      return undefined;
    }
    return hit.ack;
  }

  remember(ack: AckFrame, now: number): void {
    this.acks.set(ack.client_msg_id, { ack, at: now });
    // A Map iterates in insertion order, so the first key is the oldest.
    while (this.acks.size > this.max) {
      const oldest = this.acks.keys().next();
      if (oldest.done) break;
      this.acks.delete(oldest.value);
    }
  }

  get size(): number {
    return this.acks.size;
  }
}
