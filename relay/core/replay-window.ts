/** The one rule for what a chat's replay window holds and when a resume is whole, for every backend. */

/**
 * A running turn's entries do not count against `maxEvents` (it compacts to one message when it ends), but all
 * entries together never exceed `maxEvents` times this.
 */
export const RUNNING_TURN_FACTOR = 20;

/**
 * Whether a resume from `afterSeq` is given everything it missed: no event newer than it was evicted, and it is
 * not ahead of the chat. `evictedThrough` is the highest seq evicted (0 if none). A finished turn's message sits
 * at its `turn_end`'s seq: the seq its turn started at says nothing about what else was evicted meanwhile.
 */
export function isRecovered(afterSeq: number, head: number, evictedThrough: number): boolean {
  return afterSeq >= evictedThrough && afterSeq <= head;
}

/** How long and how large a chat's history may grow (`--history-max-age`, `--history-max-bytes`); 0 keeps all. */
export interface HistoryLimits {
  maxAgeMs: number;
  maxBytes: number;
}

export const KEEP_ALL: HistoryLimits = { maxAgeMs: 0, maxBytes: 0 };

/**
 * The retention rule at `now` as two bounds, in the form every store applies (the Redis scripts receive them as
 * arguments): entries logged before `oldestAt` go (0: no age bound), and old entries go while the entries from
 * them to the newest exceed `maxBytes` (0: no byte bound).
 */
export function retentionBounds(limits: HistoryLimits, now: number): { oldestAt: number; maxBytes: number } {
  return { oldestAt: limits.maxAgeMs > 0 ? Math.max(1, now - limits.maxAgeMs) : 0, maxBytes: limits.maxBytes };
}

/**
 * Whether an entry logged at `at`, with `bytesFromHere` bytes of entries from it to the newest, is past
 * retention. The newest entry always stays by size, so a chat keeps its last message whatever its size (but not
 * past its age).
 */
export function expired(
  at: number,
  bytesFromHere: number,
  newest: boolean,
  limits: HistoryLimits,
  now: number,
): boolean {
  const { oldestAt, maxBytes } = retentionBounds(limits, now);
  if (oldestAt > 0 && at < oldestAt) return true;
  return !newest && maxBytes > 0 && bytesFromHere > maxBytes;
}
