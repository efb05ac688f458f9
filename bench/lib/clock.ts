/**
 * One clock for every process of a benchmark: Node's `process.hrtime` is CLOCK_MONOTONIC, system-wide on Linux,
 * so µs stamps compare across processes. Deno's counts from its own start instead; a Deno process sets the
 * offset to its Node parent's clock (`syncClock`).
 */

let offsetUs = 0;

export function nowUs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3 + offsetUs;
}

/**
 * Aligns this process's `nowUs` with another's: `ask` returns the other clock's reading. Of `rounds` round
 * trips the shortest counts, with the reading taken at its midpoint (off by at most half of it, ~50 µs over IPC).
 */
export async function syncClock(ask: () => Promise<number>, rounds = 20): Promise<void> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < rounds; i++) {
    const sent = nowUs();
    const theirs = await ask();
    const back = nowUs();
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: theirs - (sent + back) / 2 };
  }
  offsetUs += best.offset;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
