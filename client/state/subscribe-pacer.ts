/** Sends a connection's subscribes no faster than the relay takes frames, leaving room for what the user sends. */

import type { FrameRate } from '../../shared/index.ts';

/** The part of the relay's burst kept for sends, presses and pings while subscribes go out. */
const RESERVE = 0.2;
/** The relay's clock and this one drift apart a little: refill slower than the relay does. */
const MARGIN = 0.9;

export class SubscribePacer {
  private queue: string[] = [];
  private tokens = 0;
  private last = 0;
  private rate: FrameRate = { per_second: 1, burst: 1 };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (chatId: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A new connection with this rate: nothing queued, the burst (less the reserve) available. */
  reset(rate: FrameRate): void {
    this.stop();
    this.rate = rate;
    this.tokens = Math.max(1, Math.floor(rate.burst * (1 - RESERVE)));
    this.last = this.now();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  /** Queues a subscribe; `first` puts it ahead of the others (the chat on screen, one being written to). */
  push(chatId: string, first = false): void {
    if (this.queue.includes(chatId)) {
      if (!first) return;
      this.queue = this.queue.filter((id) => id !== chatId);
    }
    if (first) this.queue.unshift(chatId);
    else this.queue.push(chatId);
    this.pump();
  }

  remove(chatId: string): void {
    this.queue = this.queue.filter((id) => id !== chatId);
  }

  private pump(): void {
    const now = this.now();
    const perMs = (this.rate.per_second * MARGIN) / 1000;
    const cap = Math.max(1, Math.floor(this.rate.burst * (1 - RESERVE)));
    this.tokens = Math.min(cap, this.tokens + (now - this.last) * perMs);
    this.last = now;
    while (this.tokens >= 1 && this.queue.length > 0) {
      const chatId = this.queue.shift();
      if (chatId === undefined) break;
      this.tokens--;
      this.emit(chatId);
    }
    if (this.queue.length === 0 || this.timer !== undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.ceil((1 - this.tokens) / perMs),
    );
  }
}
