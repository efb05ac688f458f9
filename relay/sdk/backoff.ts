/** Full-jitter exponential backoff for reconnecting, reset only after a connection has stayed up a while. */

export interface BackoffOptions {
  /** First ceiling, ms. */
  minDelayMs: number;
  /** Largest ceiling, ms. */
  maxDelayMs: number;
  /** A connection that lasted this long counts as healthy and resets the backoff, ms. */
  resetAfterMs: number;
}

export class Backoff {
  private attempt = 0;
  private upSince: number | undefined;

  constructor(
    private readonly options: BackoffOptions,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  connected(): void {
    this.upSince = this.now();
  }

  /**
   * The wait before the next attempt: uniformly random below a ceiling that doubles per failure, so
   * many agents that lost the same relay do not all come back in the same instant.
   */
  next(): number {
    if (this.upSince !== undefined && this.now() - this.upSince >= this.options.resetAfterMs) this.attempt = 0;
    this.upSince = undefined;
    const ceiling = Math.min(this.options.maxDelayMs, this.options.minDelayMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(this.random() * ceiling);
  }
}
