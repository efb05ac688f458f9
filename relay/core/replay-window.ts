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
