/** Reconnect delays: exponential with full jitter, reset only after a connection proved stable. */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** A connection must stay up this long before the next failure starts again from `baseMs`. */
  minUptimeMs: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000, minUptimeMs: 10_000 };

export class Backoff {
  private attempt = 0;
  private openedAt: number | undefined;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay before the next attempt: uniform in [0, min(cap, base · 2^attempt)) ("full jitter"). */
  next(): number {
    const { baseMs, capMs, random = Math.random } = this.options;
    const ceiling = Math.min(capMs, baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.floor(random() * ceiling);
  }

  opened(now = Date.now()): void {
    this.openedAt = now;
  }

  /** A connection closed; if it lived long enough, the next delay starts small again. */
  closed(now = Date.now()): void {
    if (this.openedAt !== undefined && now - this.openedAt >= this.options.minUptimeMs) this.attempt = 0;
    this.openedAt = undefined;
  }

  reset(): void {
    this.attempt = 0;
  }
}
