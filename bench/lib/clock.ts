/** One clock for every process of a benchmark: CLOCK_MONOTONIC is system-wide on Linux, so µs stamps compare across processes. */

export function nowUs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
