/** Small statistics helpers: medians across runs and percentiles from a latency histogram. */

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Medians of every key across runs (a key missing from a run is skipped for that run). */
export function medians(runs: readonly Record<string, number>[]): Record<string, number> {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const out: Record<string, number> = {};
  for (const key of keys) out[key] = median(runs.map((r) => r[key] ?? Number.NaN));
  return out;
}

/** Percentile of raw samples (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/**
 * Latencies in microseconds: 10 µs buckets below 10 ms, 1 ms buckets up to 10 s, then one overflow bucket.
 * Fixed memory however many events arrive, exact enough for p50 / p99 against a 10 ms budget.
 */
export class LatencyHistogram {
  static readonly FINE = 1000;
  static readonly COARSE = 9990;
  readonly counts = new Float64Array(LatencyHistogram.FINE + LatencyHistogram.COARSE + 1);
  total = 0;

  record(us: number): void {
    const v = us < 0 ? 0 : us;
    let i: number;
    if (v < 10_000) i = Math.floor(v / 10);
    else if (v < 10_000_000) i = LatencyHistogram.FINE + Math.floor(v / 1000) - 10;
    else i = this.counts.length - 1;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.total++;
  }

  merge(counts: ArrayLike<number>): void {
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i] ?? 0;
      this.counts[i] = (this.counts[i] ?? 0) + c;
      this.total += c;
    }
  }

  /** The upper edge of the bucket holding the p-th percentile, in milliseconds (conservative). */
  percentileMs(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return LatencyHistogram.upperEdgeUs(i) / 1000;
    }
    return Number.POSITIVE_INFINITY;
  }

  private static upperEdgeUs(i: number): number {
    if (i < LatencyHistogram.FINE) return (i + 1) * 10;
    if (i < LatencyHistogram.FINE + LatencyHistogram.COARSE) return (i - LatencyHistogram.FINE + 11) * 1000;
    return Number.POSITIVE_INFINITY;
  }
}
