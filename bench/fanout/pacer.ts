/** Decides when each event is emitted and what it carries, identically for all three servers under test. */

import { nowUs } from '../lib/clock.ts';

/** A ~20-byte delta text that starts with the µs timestamp the load generator measures latency from. */
export function stampText(us: number): string {
  const stamp = Math.round(us).toString();
  return `${stamp} ${'streamingtokens'.slice(0, Math.max(1, 19 - stamp.length))}`;
}

export type Emit = (chat: number, text: string) => void;

/** Tokens per chat a fixed-rate tick emits at most when it is behind (as many as max mode has in flight). */
const RATE_BURST = 20;

/**
 * Two modes. `max`: a batch of one event per chat each event-loop turn, as long as fewer than `window`
 * deliveries are unacknowledged by the load generator (so no queue grows without bound and throughput is what
 * the slower side sustains). `rate`: a fixed schedule; every event is stamped with its due time, so a server
 * that falls behind shows it in its latency (no coordinated omission).
 */
export class Pacer {
  emitted = 0;
  private credit = 0;
  private window = 0;
  private mode: 'idle' | 'max' | 'rate' = 'idle';
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  private next = 0;
  private start = 0;
  private perSecond = 0;
  private rateEmitted = 0;

  constructor(
    private readonly chats: number,
    private readonly subscribers: number,
    private readonly emit: Emit,
  ) {}

  startMax(window: number): void {
    this.stop();
    this.mode = 'max';
    this.window = window;
    this.schedule();
  }

  startRate(perSecond: number): void {
    this.stop();
    this.mode = 'rate';
    this.perSecond = perSecond;
    this.start = nowUs();
    this.rateEmitted = 0;
    this.schedule();
  }

  /** The load generator's running total of delivered events. */
  onCredit(delivered: number): void {
    this.credit = delivered;
    if (this.mode === 'max' && this.timer === undefined) this.schedule();
  }

  stop(): void {
    this.mode = 'idle';
    if (this.timer !== undefined) {
      clearTimeout(this.timer as ReturnType<typeof setTimeout>);
      clearImmediate(this.timer as ReturnType<typeof setImmediate>);
    }
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.mode === 'max') this.timer = setImmediate(() => this.tickMax());
    else if (this.mode === 'rate') this.timer = setTimeout(() => this.tickRate(), 1);
  }

  private tickMax(): void {
    this.timer = undefined;
    if (this.mode !== 'max') return;
    const batch = this.chats * this.subscribers;
    // Deliveries owed: each emitted event goes to every subscriber of its chat.
    if (this.emitted * this.subscribers - this.credit + batch > this.window) return; // resumed by onCredit
    const text = stampText(nowUs());
    for (let c = 0; c < this.chats; c++) this.emitOne(c, text);
    this.schedule();
  }

  private tickRate(): void {
    this.timer = undefined;
    if (this.mode !== 'rate') return;
    const intervalUs = 1e6 / this.perSecond;
    // A server past its capacity falls behind: what is due goes out at most RATE_BURST per chat a tick, so its
    // event loop still answers the orchestrator, and every late token still carries its due time.
    const due = Math.min(Math.floor((nowUs() - this.start) / intervalUs), this.rateEmitted + RATE_BURST * this.chats);
    for (; this.rateEmitted < due; this.rateEmitted++) {
      this.emitOne(this.next, stampText(this.start + this.rateEmitted * intervalUs));
      this.next = (this.next + 1) % this.chats;
    }
    this.schedule();
  }

  private emitOne(chat: number, text: string): void {
    this.emitted++;
    this.emit(chat, text);
  }
}
