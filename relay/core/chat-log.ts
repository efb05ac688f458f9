/**
 * One chat's sequence counter and replay log, with finished turns compacted to one message. Without a store the
 * log is the chat's whole memory, bounded by the replay limits; with one, those limits bound only what stays in
 * memory, every event is written through to the store, and a replay from further back reads it from there.
 */

import type { ChatEvent, ChatMessage, MessageEvent } from '../../shared/index.ts';
import type { ChatHistory, LoadedChat, StoredEntry } from './history-store.ts';
import { valueBytes } from './json-size.ts';
import { expired, isRecovered, KEEP_ALL, RUNNING_TURN_FACTOR, type HistoryLimits } from './replay-window.ts';

export interface ReplayLimits {
  maxEvents: number;
  maxAgeMs: number;
  /** Serialized bytes of the entries kept (a running turn's events count once it is compacted). */
  maxBytes: number;
  /** What the chat's history keeps at all, on storage or not (default: everything). */
  retention?: HistoryLimits;
}

/** The replay bounds a configuration asks for, in the shape both backends take. */
export function replayLimits(c: {
  replayMaxEvents: number;
  replayMaxAgeSec: number;
  replayMaxBytes: number;
  historyMaxAgeSec: number;
  historyMaxBytes: number;
}): ReplayLimits {
  return {
    maxEvents: c.replayMaxEvents,
    maxAgeMs: c.replayMaxAgeSec * 1000,
    maxBytes: c.replayMaxBytes,
    retention: { maxAgeMs: c.historyMaxAgeSec * 1000, maxBytes: c.historyMaxBytes },
  };
}

export interface Replay {
  events: ChatEvent[];
  /** True when `events` is everything after the requested point. */
  recovered: boolean;
}

/** A chat's stored history, as opened: where its writes go and what it held. */
export interface Durable {
  history: ChatHistory;
  loaded: LoadedChat;
  now: number;
}

/** Events that build a turn's own message; a finished turn replaces them with one `message`. */
function buildsTurnMessage(event: ChatEvent, turnId: string): boolean {
  return 'turn_id' in event && event.turn_id === turnId;
}

export class ChatLog {
  /** The seq of the newest event; 0 before the first. */
  head = 0;
  /** Every event with seq ≤ this is gone for good. */
  private evictedThrough = 0;
  /** Every event with seq ≤ this has left memory (with a store, it is still there). */
  private windowFrom = 0;
  private entries: StoredEntry[] = [];
  /** Offset of the first live entry, so eviction from the front is O(1) amortised. */
  private start = 0;
  /** Entries of the turn still running; they do not count against `maxEvents` until it is compacted. */
  private openTurnEntries = 0;
  /** Bytes of all live entries, and of the running turn's among them (exempt from `maxBytes` like its count). */
  private bytes = 0;
  private openTurnBytes = 0;
  private readonly retention: HistoryLimits;
  private readonly history: ChatHistory | undefined;

  /**
   * `startAt` continues the seq of a chat this relay forgot earlier in the same epoch, so a client holding an
   * old seq is told it cannot be recovered instead of being matched to new events. `durable` is the chat's
   * stored history, whose entries the log starts from.
   */
  constructor(
    private readonly limits: ReplayLimits,
    startAt = 0,
    durable?: Durable,
  ) {
    this.retention = limits.retention ?? KEEP_ALL;
    this.history = durable?.history;
    this.head = durable?.loaded.head ?? startAt;
    this.evictedThrough = durable?.loaded.evictedThrough ?? startAt;
    this.windowFrom = this.evictedThrough;
    for (const entry of durable?.loaded.entries ?? []) this.hold(entry);
    if (durable) this.trim(durable.now);
  }

  nextSeq(): number {
    return ++this.head;
  }

  /** `bytes` is the event's serialized size when the caller has it already. */
  append(event: ChatEvent, now: number, bytes = valueBytes(event)): void {
    const entry = { event, at: now, bytes };
    // Stored before the caller fans it out: no client sees an event a restarted relay would not have.
    try {
      this.history?.append(entry);
    } catch (err) {
      this.head = event.seq - 1;
      throw err;
    }
    this.hold(entry);
    this.trim(now);
  }

  private hold(entry: StoredEntry): void {
    this.entries.push(entry);
    this.bytes += entry.bytes;
    if ('turn_id' in entry.event) {
      this.openTurnEntries++;
      this.openTurnBytes += entry.bytes;
    }
  }

  /** Serialized bytes of the events held in memory, for the relay's stats and tests. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Whether the history outlives this object (a store holds it). */
  get durable(): boolean {
    return this.history !== undefined;
  }

  /** Replaces a finished turn's events with its whole message, placed where the turn ended. */
  compactTurn(turnId: string, message: MessageEvent, now: number): void {
    const kept: StoredEntry[] = [];
    let bytes = 0;
    for (let i = this.start; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (!entry || buildsTurnMessage(entry.event, turnId)) continue;
      kept.push(entry);
      bytes += entry.bytes;
    }
    const compacted = { event: message, at: now, bytes: valueBytes(message) };
    this.history?.compact(turnId, compacted);
    kept.push(compacted);
    this.entries = kept;
    this.bytes = bytes + compacted.bytes;
    this.start = 0;
    this.openTurnEntries = 0;
    this.openTurnBytes = 0;
    this.trim(now);
  }

  /**
   * Rewrites the chat's whole history, stored and in memory, through `compact` (see `ChatHistory.rewrite`); the
   * seqs and what is gone for good do not change. Returns the entries kept.
   */
  rewriteAll(compact: (entries: StoredEntry[]) => StoredEntry[], now: number): StoredEntry[] {
    this.trim(now);
    const sized = (entries: StoredEntry[]) => {
      const kept = compact(entries);
      return kept === entries ? entries : kept.map((e) => ({ ...e, bytes: valueBytes(e.event) }));
    };
    const kept = this.history ? this.history.rewrite(sized) : sized(this.entries.slice(this.start));
    this.entries = [];
    this.start = 0;
    this.bytes = 0;
    this.openTurnEntries = 0;
    this.openTurnBytes = 0;
    for (const entry of kept) if (entry.event.seq > this.windowFrom) this.hold(entry);
    return kept;
  }

  /** The events of a turn that has not ended, oldest first (a chat reopened after its relay stopped mid-reply). */
  unfinishedTurn(): ChatEvent[] {
    const events: ChatEvent[] = [];
    for (let i = this.start; i < this.entries.length; i++) {
      const event = this.entries[i]?.event;
      if (event && 'turn_id' in event) events.push(event);
    }
    return events;
  }

  /** The newest logged copy of a whole message, for applying edits and button presses to it. */
  findMessage(id: string): ChatMessage | undefined {
    for (let i = this.entries.length - 1; i >= this.start; i--) {
      const event = this.entries[i]?.event;
      if (event?.type === 'message' && event.message.id === id) return event.message;
    }
    return undefined;
  }

  /** Whether the log withdrew message `id` (a `retract`, when its reply was regenerated). */
  retracted(id: string): boolean {
    for (let i = this.entries.length - 1; i >= this.start; i--) {
      const event = this.entries[i]?.event;
      if (event?.type === 'retract' && event.message_id === id) return true;
    }
    return false;
  }

  /** Replaces the newest logged copy of a message with `change(copy)`; logged events are never changed in place. */
  reviseMessage(id: string, change: (m: ChatMessage) => ChatMessage): void {
    for (let i = this.entries.length - 1; i >= this.start; i--) {
      const entry = this.entries[i];
      if (entry?.event.type === 'message' && entry.event.message.id === id) {
        const revised = { ...entry.event, message: change(entry.event.message) };
        entry.event = revised;
        this.history?.revise(revised);
        // An edit may grow the message: the byte bound counts what a replay would send now.
        const bytes = valueBytes(entry.event);
        this.bytes += bytes - entry.bytes;
        entry.bytes = bytes;
        return;
      }
    }
  }

  /**
   * Events after `afterSeq`: from memory, and from the store for what memory no longer holds. `recovered` is
   * false when some of them are gone, so the caller gets what is left and knows the rest must come from elsewhere.
   */
  replay(afterSeq: number, now: number): Replay {
    this.trim(now);
    const events: ChatEvent[] = [];
    // What the log already knows is gone is not asked for again.
    const from = Math.max(afterSeq, this.evictedThrough);
    if (this.history && from < this.windowFrom) {
      const stored = this.history.read(from, this.windowFrom, now);
      this.evictedThrough = Math.max(this.evictedThrough, stored.evictedThrough);
      events.push(...stored.events);
    }
    for (let i = this.start; i < this.entries.length; i++) {
      const event = this.entries[i]?.event;
      if (event && event.seq > afterSeq) events.push(event);
    }
    return { events, recovered: isRecovered(afterSeq, this.head, this.evictedThrough) };
  }

  /** Lets go of the stored history's resources. */
  close(): void {
    this.history?.close();
  }

  /** Entries held in memory. */
  get size(): number {
    return this.entries.length - this.start;
  }

  /** True when nothing is left worth keeping the chat in memory for (a stored chat can always be reopened). */
  isIdle(now: number): boolean {
    this.trim(now);
    return this.durable || this.size === 0;
  }

  trim(now: number): void {
    const oldest = now - this.limits.maxAgeMs;
    const hardCap = this.limits.maxEvents * RUNNING_TURN_FACTOR;
    while (this.start < this.entries.length) {
      const entry = this.entries[this.start];
      if (!entry) break;
      // A running turn's events will compact into one message: retention judges what will be kept.
      const gone = expired(entry.at, this.bytes - this.openTurnBytes, this.size === 1, this.retention, now);
      const overCount = this.size - this.openTurnEntries > this.limits.maxEvents || this.size > hardCap;
      const overBytes = this.bytes - this.openTurnBytes > this.limits.maxBytes;
      if (!gone && !overCount && !overBytes && entry.at >= oldest) break;
      // Leaving memory is losing it only when no store holds it.
      if (gone || !this.history) this.evictedThrough = Math.max(this.evictedThrough, entry.event.seq);
      this.windowFrom = Math.max(this.windowFrom, entry.event.seq);
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
