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
 * The retention rule, for every backend and store: an entry logged at `at` goes when it is older than the age
 * bound, or when it and everything newer (`bytesFromHere`) exceed the byte bound. The newest entry always stays,
 * so a chat keeps its last message whatever its size (but not past its age).
 */
export function expired(
  at: number,
  bytesFromHere: number,
  newest: boolean,
  limits: HistoryLimits,
  now: number,
): boolean {
  if (limits.maxAgeMs > 0 && at < now - limits.maxAgeMs) return true;
  return !newest && limits.maxBytes > 0 && bytesFromHere > limits.maxBytes;
}
