/** Token buckets: `rate` units per second sustained, `burst` at once; and a frame-and-byte budget built from two. */

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number, cost = 1): boolean {
    if (this.available(now) < cost) return false;
    this.tokens -= cost;
    return true;
  }

  available(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    return this.tokens;
  }
}

export interface BudgetLimits {
  framesPerSec: number;
  frameBurst: number;
  bytesPerSec: number;
  /** The largest frame the transport accepts: the byte bucket holds at least this, so any such frame can pass. */
  maxFrameBytes: number;
}

/** Frames and bytes a connection may send; a frame passes only when both buckets have room for it. */
export class FrameBudget {
  private readonly frames: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(
    readonly limits: BudgetLimits,
    now: number,
  ) {
    this.frames = new TokenBucket(limits.framesPerSec, limits.frameBurst, now);
    this.bytes = new TokenBucket(limits.bytesPerSec, Math.max(limits.bytesPerSec, limits.maxFrameBytes), now);
  }

  admit(size: number, now: number): boolean {
    if (this.frames.available(now) < 1 || this.bytes.available(now) < size) return false;
    this.frames.take(now);
    this.bytes.take(now, size);
    return true;
  }
}
