/** The benchmarks' shared clock: a process whose clock starts elsewhere (Deno's) aligns with its parent's. */

import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/lib/args.ts';
import { nowUs, syncClock } from '../../bench/lib/clock.ts';

/** Another process's clock, 7 s ahead of this one, read over a channel that takes `delayMs` each way. */
function remote(delayMs: number): () => Promise<number> {
  const ahead = 7_000_000;
  const reading = () => {
    const [s, ns] = process.hrtime();
    return s * 1e6 + ns / 1e3 + ahead;
  };
  return () =>
    new Promise((resolve) =>
      setTimeout(() => {
        const us = reading();
        setTimeout(() => resolve(us), delayMs);
      }, delayMs),
    );
}

describe('syncClock', () => {
  it('moves nowUs onto the other clock, within the channel’s delay', async () => {
    const ask = remote(2);
    const before = (await ask()) - nowUs();
    expect(Math.abs(before)).toBeGreaterThan(6_000_000);
    await syncClock(ask, 10);
    const after = (await ask()) - nowUs();
    // The reading is taken mid-trip: what is left is the channel's asymmetry and timer jitter.
    expect(Math.abs(after)).toBeLessThan(5_000);
  });
});

describe('--fanout-servers', () => {
  it('picks set-ups in the benchmark’s order and refuses an unknown one by name', () => {
    const parsed = parseArgs(['--fanout-servers', 'ws,parley-deno'], ['fanout']);
    expect(parsed.ok && parsed.options.fanoutServers).toEqual(['parley-deno', 'ws']);
    expect(parseArgs(['--fanout-servers', 'parley,nginx'], ['fanout'])).toEqual({
      ok: false,
      error: '--fanout-servers: unknown set-up nginx',
    });
  });
});
