/**
 * Benchmark 3, streaming render in real Chromium: a 32k-character markdown reply streamed in 4-character
 * tokens (one relay frame per task, at a fixed rate) through Parley's real chat view, and through the naive
 * baseline in the same page build. A Chromium trace gives main-thread busy time and the longest task.
 */

import type { Page } from 'playwright-core';
import { fmt, ratio, type Benchmark, type Options, type Row } from '../lib/bench.ts';
import { launch, MainThread, TRACE_CATEGORIES, VIEWPORT } from '../lib/chromium.ts';
import { pagesReady } from '../lib/pages.ts';
import { startSite } from '../lib/site.ts';

const TOKEN_CHARS = 4;

/**
 * Main-thread time is thread CPU time unless it says wall: on a shared machine a task's wall time also counts
 * the time other processes held the core, which says nothing about the page.
 */
interface Measured {
  /** Main-thread CPU ms from the first token to the paint after the last applied one. */
  total: number;
  /** The same in wall time (tasks' durations). */
  totalWall: number;
  /** For a run the cap stopped: `total` plus the remaining tokens at the measured per-token cost line. */
  extrapolated: number;
  longest: number;
  longestCpu: number;
  /** CPU ms per token over the first 10% of tokens, and over the last 10% applied. */
  firstPerToken: number;
  lastPerToken: number;
  wall: number;
  tokens: number;
  applied: number;
}

/** Must match bench/pages/render.ts. */
const MARK_EVERY = 100;

/**
 * What the tokens a capped run did not apply would have cost: the naive baseline re-renders the whole text on
 * every token, so its cost per token grows linearly with the position; fit that line to the measured
 * 100-token chunks (least squares) and sum it over the rest.
 */
function remainingCost(main: MainThread, applied: number, tokens: number): number {
  if (applied >= tokens) return 0;
  const points: [number, number][] = [];
  for (let k = 0; k + MARK_EVERY <= applied - (applied % MARK_EVERY); k += MARK_EVERY) {
    if (k + MARK_EVERY >= applied) break;
    points.push([k + MARK_EVERY / 2, main.busy(`t${k}`, `t${k + MARK_EVERY}`, 'cpu') / MARK_EVERY]);
  }
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const slope =
    points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  let sum = 0;
  for (let k = applied; k < tokens; k++) sum += my + slope * (k - mx);
  return sum;
}

/** The three replies: the long prose one, and a math-heavy and a diagram-heavy one (issue 17), shorter. */
type Sample = Options['renderSamples'][number];
/** Characters of the math and diagram replies: each token of the naive baseline re-typesets or redraws them all. */
const RICH_CHARS = 8_000;
/** Result keys: the prose case keeps the names it always had. */
const key = (sample: Sample, name: string) => (sample === 'prose' ? name : `${sample}.${name}`);

async function measureMode(
  page: Page,
  mode: 'parley' | 'naive',
  chars: number,
  rate: number,
  capMs: number,
  sample: Sample,
): Promise<Measured> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  let trace: Buffer;
  let run: { tokens: number; applied: number };
  try {
    run = (await page.evaluate(
      `window.__render.run(${JSON.stringify(mode)}, ${chars}, ${TOKEN_CHARS}, ${rate}, ${capMs}, ${JSON.stringify(sample)})`,
    )) as { tokens: number; applied: number };
  } finally {
    trace = await browser.stopTracing();
  }
  const main = new MainThread(trace);
  const tenth = Math.max(MARK_EVERY, Math.floor(run.tokens / 10 / MARK_EVERY) * MARK_EVERY);
  const lastFrom = Math.max(0, Math.floor((run.applied - tenth) / MARK_EVERY) * MARK_EVERY);
  const total = main.busy('t0', 'end', 'cpu');
  return {
    total,
    totalWall: main.busy('t0', 'end'),
    extrapolated: total + remainingCost(main, run.applied, run.tokens),
    longest: main.longest('t0', 'end'),
    longestCpu: main.longest('t0', 'end', 'cpu'),
    firstPerToken: main.busy('t0', `t${tenth}`, 'cpu') / tenth,
    lastPerToken: main.busy(`t${lastFrom}`, 'end', 'cpu') / (run.applied - lastFrom),
    wall: main.mark('end') - main.mark('t0'),
    tokens: run.tokens,
    applied: run.applied,
  };
}

/** The naive baseline is quadratic (about 3 minutes at 32k) and CPU-bound: measured once per invocation. */
const naiveOnce = new Map<Sample, Measured>();

export const render: Benchmark = {
  name: 'render',
  title: 'Streaming render',
  async measure(options, log) {
    await pagesReady();
    const site = await startSite();
    const browser = await launch();
    const out: Record<string, number> = {};
    try {
      for (const sample of options.renderSamples)
        for (const mode of ['parley', 'naive'] as const) {
          let m = mode === 'naive' ? naiveOnce.get(sample) : undefined;
          if (!m) {
            const page = await browser.newPage({ viewport: VIEWPORT });
            await page.goto(`${site.bench}render.html`);
            const cap = mode === 'naive' ? options.renderNaiveCapSec * 1000 : 0;
            const chars = sample === 'prose' ? options.renderChars : RICH_CHARS;
            m = await measureMode(page, mode, chars, options.renderRate, cap, sample);
            await page.close();
            if (mode === 'naive') naiveOnce.set(sample, m);
          }
          const put = (name: string, value: number) => (out[key(sample, `${mode}.${name}`)] = value);
          put('total', m.total);
          put('totalWall', m.totalWall);
          put('extrapolated', m.extrapolated);
          put('longest', m.longest);
          put('longestCpu', m.longestCpu);
          put('firstPerToken', m.firstPerToken);
          put('lastPerToken', m.lastPerToken);
          put('growth', m.lastPerToken / m.firstPerToken);
          put('wall', m.wall);
          put('applied', m.applied);
          put('tokens', m.tokens);
          log(
            `${sample} ${mode}: ${fmt(m.applied)} of ${fmt(m.tokens)} tokens, main thread ${fmt(m.total)} ms CPU ` +
              `(${fmt(m.totalWall)} ms wall) in ${fmt(m.wall)} ms, ` +
              `longest task ${fmt(m.longest, 1)} ms (CPU ${fmt(m.longestCpu, 1)} ms)` +
              `${m.applied < m.tokens ? `, ≈ ${fmt(m.extrapolated)} ms extrapolated to all tokens` : ''}, per token ${fmt(m.firstPerToken, 3)} ms first 10% → ` +
              `${fmt(m.lastPerToken, 3)} ms last 10%`,
          );
        }
    } finally {
      await browser.close();
      await site.close();
    }
    return out;
  },
  rows(r, options): Row[] {
    return options.renderSamples.flatMap((sample) => sampleRows(r, options, sample));
  },
};

function sampleRows(r: Record<string, number>, options: Options, sample: Sample): Row[] {
  const v = (k: string) => r[key(sample, k)] ?? Number.NaN;
  const chars = sample === 'prose' ? options.renderChars : RICH_CHARS;
  const what = sample === 'prose' ? '' : sample === 'math' ? ', math-heavy' : ', diagrams';
  const bench = `3. Render ${fmt(chars / 1000)}k chars${what}, ${TOKEN_CHARS}-char tokens at ${fmt(options.renderRate)}/s`;
  // A capped baseline did not apply every token: measured time is a lower bound; the rest is extrapolated.
  const capped = v('naive.applied') < v('naive.tokens');
  const naive = capped ? v('naive.extrapolated') : v('naive.total');
  const note = capped
    ? `naive ≈ ${fmt(naive)} ms (measured ${fmt(v('naive.total'))} ms over ${fmt(v('naive.applied'))} of ${fmt(v('naive.tokens'))} tokens, rest extrapolated)`
    : `naive ${fmt(naive)} ms (${fmt(v('naive.totalWall'))} ms)`;
  return [
    {
      bench,
      metric: 'main-thread CPU time, whole stream (wall time busy)',
      parley: `${fmt(v('parley.total'))} ms (${fmt(v('parley.totalWall'))} ms)`,
      baseline: note,
      ratio: capped
        ? `≈ ${fmt(naive / v('parley.total'), 1)}× less (measured part alone ${fmt(v('naive.total') / v('parley.total'), 1)}×)`
        : `${fmt(naive / v('parley.total'), 1)}× less`,
      target: '≥ 20× less',
      met: naive / v('parley.total') >= 20,
    },
    {
      bench,
      metric: 'longest main-thread task: CPU time (wall time)',
      parley: `${fmt(v('parley.longestCpu'), 1)} ms (${fmt(v('parley.longest'), 1)} ms)`,
      baseline: `naive ${fmt(v('naive.longestCpu'), 1)} ms (${fmt(v('naive.longest'), 1)} ms)`,
      target: '≤ 50 ms',
      met: v('parley.longestCpu') <= 50,
    },
    {
      bench,
      metric: 'per-token cost, last 10% vs first 10%',
      parley: `${ratio(v('parley.lastPerToken'), v('parley.firstPerToken'))} (${fmt(v('parley.firstPerToken'), 3)} → ${fmt(v('parley.lastPerToken'), 3)} ms)`,
      baseline: `naive ${ratio(v('naive.lastPerToken'), v('naive.firstPerToken'))} (${fmt(v('naive.firstPerToken'), 2)} → ${fmt(v('naive.lastPerToken'), 2)} ms)${capped ? ', last 10% applied' : ''}`,
      target: '≤ 2×',
      met: v('parley.growth') <= 2,
    },
  ];
}
