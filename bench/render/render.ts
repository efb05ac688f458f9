/**
 * Benchmark 3, streaming render in real Chromium: a 32k-character markdown reply streamed in 4-character
 * tokens (one relay frame per task, at a fixed rate) through Parley's real chat view, and through the naive
 * baseline in the same page build. A Chromium trace gives main-thread busy time and the longest task.
 */

import type { Page } from 'playwright-core';
import { fmt, ratio, type Benchmark, type Row } from '../lib/bench.ts';
import { launch, MainThread, TRACE_CATEGORIES, VIEWPORT } from '../lib/chromium.ts';
import { pagesReady } from '../lib/pages.ts';
import { startSite } from '../lib/site.ts';

const TOKEN_CHARS = 4;

interface Measured {
  total: number;
  longest: number;
  first10: number;
  last10: number;
  wall: number;
}

async function measureMode(page: Page, mode: 'parley' | 'naive', chars: number, rate: number): Promise<Measured> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  let trace: Buffer;
  try {
    await page.evaluate(`window.__render.run(${JSON.stringify(mode)}, ${chars}, ${TOKEN_CHARS}, ${rate})`);
  } finally {
    trace = await browser.stopTracing();
  }
  const main = new MainThread(trace);
  return {
    total: main.busy('start', 'end'),
    longest: main.longest('start', 'end'),
    first10: main.busy('start', 'p10'),
    last10: main.busy('p90', 'end'),
    wall: main.mark('end') - main.mark('start'),
  };
}

/** The naive baseline is quadratic (about 3 minutes at 32k) and CPU-bound: measured once per invocation. */
let naiveOnce: Measured | undefined;

export const render: Benchmark = {
  name: 'render',
  title: 'Streaming render',
  async measure(options, log) {
    await pagesReady();
    const site = await startSite();
    const browser = await launch();
    const out: Record<string, number> = {};
    try {
      for (const mode of ['parley', 'naive'] as const) {
        let m = mode === 'naive' ? naiveOnce : undefined;
        if (!m) {
          const page = await browser.newPage({ viewport: VIEWPORT });
          await page.goto(`${site.bench}render.html`);
          m = await measureMode(page, mode, options.renderChars, options.renderRate);
          await page.close();
          if (mode === 'naive') naiveOnce = m;
        }
        out[`${mode}.total`] = m.total;
        out[`${mode}.longest`] = m.longest;
        out[`${mode}.first10`] = m.first10;
        out[`${mode}.last10`] = m.last10;
        out[`${mode}.growth`] = m.last10 / m.first10;
        out[`${mode}.wall`] = m.wall;
        log(
          `${mode}: busy ${fmt(m.total)} ms of ${fmt(m.wall)} ms, longest task ${fmt(m.longest, 1)} ms, ` +
            `first 10% ${fmt(m.first10)} ms, last 10% ${fmt(m.last10)} ms`,
        );
      }
    } finally {
      await browser.close();
      await site.close();
    }
    return out;
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const bench = `3. Render ${fmt(options.renderChars / 1000)}k chars, ${TOKEN_CHARS}-char tokens at ${fmt(options.renderRate)}/s`;
    return [
      {
        bench,
        metric: 'main-thread busy time, whole stream',
        parley: `${fmt(v('parley.total'))} ms`,
        baseline: `naive ${fmt(v('naive.total'))} ms`,
        ratio: `${fmt(v('naive.total') / v('parley.total'), 1)}× less`,
        target: '≥ 20× less',
        met: v('naive.total') / v('parley.total') >= 20,
      },
      {
        bench,
        metric: 'longest main-thread task',
        parley: `${fmt(v('parley.longest'), 1)} ms`,
        baseline: `naive ${fmt(v('naive.longest'), 1)} ms`,
        target: '≤ 50 ms',
        met: v('parley.longest') <= 50,
      },
      {
        bench,
        metric: 'per-token cost, last 10% vs first 10%',
        parley: ratio(v('parley.last10'), v('parley.first10')),
        baseline: `naive ${ratio(v('naive.last10'), v('naive.first10'))}`,
        target: '≤ 2×',
        met: v('parley.growth') <= 2,
      },
    ];
  },
};
