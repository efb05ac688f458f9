/** A hybrid logical clock: timestamps that follow wall time yet never run backwards and order every write of every device. */

/** One timestamp: milliseconds of wall time, a counter for writes within one millisecond, the writer's node id. */
export interface Hlc {
  wall: number;
  counter: number;
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
/** A node id: short, and free of the separator. */
export const HLC_NODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/**
 * The wire form: fixed-width decimal wall time and counter, then the node, so comparing two strings compares
 * their timestamps (wall, then counter, then node) without parsing either.
 */
export const HLC_PATTERN = /^\d{15}\.\d{6}\.[A-Za-z0-9_-]{1,32}$/;

export function formatHlc(h: Hlc): string {
  const wall = String(h.wall).padStart(WALL_DIGITS, '0');
  return `${wall}.${String(h.counter).padStart(COUNTER_DIGITS, '0')}.${h.node}`;
}

export function parseHlc(text: string): Hlc | undefined {
  if (!HLC_PATTERN.test(text)) return undefined;
  const [wall = '', counter = '', node = ''] = text.split('.');
  return { wall: Number(wall), counter: Number(counter), node };
}

/** Negative when `a` is older than `b`, positive when newer, 0 for the same timestamp. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The next local timestamp: wall time when it moved on, else one more on the counter of the last one. */
export function tick(last: Hlc, now: number): Hlc {
  const wall = Math.max(last.wall, Math.floor(now));
  if (wall > last.wall) return { wall, counter: 0, node: last.node };
  // A counter that would overflow moves into the next millisecond instead (the clock runs ahead by 1 ms).
  return last.counter >= MAX_COUNTER
    ? { wall: wall + 1, counter: 0, node: last.node }
    : { wall, counter: last.counter + 1, node: last.node };
}

/** This node's clock after seeing `remote`: later than both it and everything this node stamped before. */
export function receive(last: Hlc, remote: Hlc, now: number): Hlc {
  const wall = Math.max(last.wall, remote.wall, Math.floor(now));
  let counter: number;
  if (wall === last.wall && wall === remote.wall) counter = Math.max(last.counter, remote.counter) + 1;
  else if (wall === last.wall) counter = last.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  else counter = 0;
  return counter > MAX_COUNTER ? { wall: wall + 1, counter: 0, node: last.node } : { wall, counter, node: last.node };
}

/** One node's clock: stamps its writes and moves past every timestamp it receives. */
export class HlcClock {
  private last: Hlc;

  constructor(
    node: string,
    private readonly now: () => number = Date.now,
  ) {
    if (!HLC_NODE_PATTERN.test(node)) throw new Error(`invalid HLC node id "${node}"`);
    this.last = { wall: 0, counter: 0, node };
  }

  /** A timestamp for a write made now, newer than any this clock stamped or saw. */
  stamp(): string {
    this.last = tick(this.last, this.now());
    return formatHlc(this.last);
  }

  /** Another node's timestamp arrived: later stamps here order after it. A malformed one is ignored. */
  observe(remote: string): void {
    const parsed = parseHlc(remote);
    if (parsed) this.last = receive(this.last, parsed, this.now());
  }
}
