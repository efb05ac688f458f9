/** What every benchmark provides to the runner, and the options the runner gives it. */

import type { Impl } from '../fanout/messages.ts';

export interface Options {
  runs: number;
  chats: number;
  subscribers: number;
  /** Seconds each fan-out phase is measured (after a warm-up). */
  seconds: number;
  memorySizes: number[];
  renderChars: number;
  /** Tokens per second streamed into the render benchmark. */
  renderRate: number;
  /** Seconds after which the naive render baseline stops applying tokens (0: never). */
  renderNaiveCapSec: number;
  /** Which replies the render benchmark streams: the long prose one, a math-heavy one, a diagram one. */
  renderSamples: ('prose' | 'math' | 'diagram')[];
  historySizes: number[];
  replayTokens: number;
  /** Structure: measured sends (after one warm-up), and the stored chats × messages opened. */
  structureSends: number;
  structureChats: number;
  structureMessages: number;
  /** Storage: a directory with better-sqlite3, lmdb and classic-level installed, to measure them too. */
  storageCandidates: string | undefined;
  /** Fan-out: the set-ups to run (Parley's variants and the baselines). */
  fanoutServers: Impl[];
  /** Fan-out: tokens/s of the fixed-rate phase for every server (default: half of each one's own max). */
  fanoutRate: number | undefined;
  /** Print progress lines. */
  verbose: boolean;
}

/** One line of the results table. */
export interface Row {
  bench: string;
  metric: string;
  parley: string;
  baseline?: string;
  ratio?: string;
  target?: string;
  /** undefined: informational, no target. */
  met?: boolean;
  /** The 1-minute load average while it was measured (the runner fills in the benchmark's before→after). */
  load?: string;
}

export interface Benchmark {
  name: string;
  title: string;
  /** Deterministic benchmarks run once whatever `--runs` says. */
  deterministic?: boolean;
  /** One run: named numbers; the runner takes the median of each across runs. */
  measure(options: Options, log: (line: string) => void): Promise<Record<string, number>>;
  rows(result: Record<string, number>, options: Options): Row[];
}

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `a / b` as `1.23×`. */
export function ratio(a: number, b: number, digits = 2): string {
  return `${fmt(a / b, digits)}×`;
}
