/**
 * Benchmark 4, long history: sessions of 100, 1,000 and 5,000 messages stored in IndexedDB (written through
 * the app's own database module), opened in the built app. Measured: from the route change to the first
 * frame that shows the newest message, and the page's DOM node count (shadow roots included) once open.
 * Baseline, same browser: the same messages read the same way and all rendered (marked + DOMPurify).
 */

import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { fmt, ratio, type Benchmark, type Row } from '../lib/bench.ts';
import { launch, VIEWPORT } from '../lib/chromium.ts';
import { PAGES_OUT, pagesReady } from '../lib/pages.ts';
import { startSite, type Site } from '../lib/site.ts';
import { sleep } from '../lib/clock.ts';
import { median } from '../lib/stats.ts';

const marker = (n: number) => `newest-of-${n}`;
/** Opens per size and run; the median counts (a shared machine's scheduler makes single opens noisy). */
const OPENS = 3;
const chatId = (n: number) => `history-${n}`;

export async function seed(
  context: BrowserContext,
  site: Site,
  sessions: { id: string; title: string; count: number; marker: string; updatedAt: number }[],
): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${site.bench}seed.html`);
  await page.evaluate('window.__seed.reset()');
  for (const s of sessions) {
    await page.evaluate(
      `window.__seed.session(${JSON.stringify(s.id)}, ${JSON.stringify(s.title)}, ${s.count}, ${JSON.stringify(s.marker)}, ${s.updatedAt})`,
    );
  }
  await page.close();
}

export function probeScript(benchMarker?: string): string {
  const probe = readFileSync(`${PAGES_OUT}/probe.js`, 'utf8');
  return `${benchMarker ? `window.__benchMarker = ${JSON.stringify(benchMarker)};\n` : ''}${probe}`;
}

async function openApp(context: BrowserContext, site: Site, hash: string, benchMarker?: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript({ content: probeScript(benchMarker) });
  await page.goto(`${site.app}${hash}`);
  await page.locator('chat-composer textarea').waitFor();
  return page;
}

export const history: Benchmark = {
  name: 'history',
  title: 'Long history',
  async measure(options, log) {
    await pagesReady();
    const site = await startSite();
    const browser = await launch();
    const out: Record<string, number> = {};
    try {
      // No service worker here: its install would precache in the background while we measure.
      const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
      const now = Date.now();
      const sizes = options.historySizes;
      await seed(context, site, [
        ...sizes.map((n, i) => ({
          id: chatId(n),
          title: `${n} messages`,
          count: n,
          marker: marker(n),
          updatedAt: now - (i + 1) * 3_600_000,
        })),
        { id: 'start', title: 'Start', count: 10, marker: 'start', updatedAt: now },
      ]);
      for (const n of sizes) {
        const opens: number[] = [];
        let nodes = 0;
        for (let i = 0; i < OPENS; i++) {
          // A fresh page each time: the first open of a chat reads it from IndexedDB, later ones hit memory.
          const page = await openApp(context, site, '#/c/start');
          await sleep(300);
          const one = (await page.evaluate(
            `window.__probe.open(${JSON.stringify(chatId(n))}, ${JSON.stringify(marker(n))})`,
          )) as { ms: number };
          opens.push(one.ms);
          await sleep(500);
          nodes = (await page.evaluate('window.__probe.countNodes()')) as number;
          await page.close();
        }
        const opened = { ms: median(opens) };
        // Reloading straight into the chat: app start-up plus the same read.
        const cold = await openApp(context, site, `#/c/${chatId(n)}`, marker(n));
        const startup = (await cold.evaluate('window.__probe.startup()')) as { painted: number };
        await cold.close();
        const base = await context.newPage();
        await base.goto(`${site.bench}history-baseline.html`);
        const naive = (await base.evaluate(`window.__history.open(${JSON.stringify(chatId(n))})`)) as {
          ms: number;
          nodes: number;
        };
        await base.close();
        out[`parley.${n}.open`] = opened.ms;
        out[`parley.${n}.nodes`] = nodes;
        out[`parley.${n}.reload`] = startup.painted;
        out[`naive.${n}.open`] = naive.ms;
        out[`naive.${n}.nodes`] = naive.nodes;
        log(
          `${n} messages: open ${fmt(opened.ms)} ms, ${fmt(nodes)} nodes; reload into it ${fmt(startup.painted)} ms; ` +
            `naive ${fmt(naive.ms)} ms, ${fmt(naive.nodes)} nodes`,
        );
      }
      await context.close();
    } finally {
      await browser.close();
      await site.close();
    }
    return out;
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const sizes = options.historySizes;
    const largest = sizes[sizes.length - 1] ?? 0;
    const smallest = sizes[0] ?? 0;
    const bench = '4. Long history';
    return [
      {
        bench,
        metric: `open a ${fmt(largest)}-message session: newest messages painted`,
        parley: `${fmt(v(`parley.${largest}.open`))} ms`,
        baseline: `render all ${fmt(v(`naive.${largest}.open`))} ms`,
        ratio: `${fmt(v(`naive.${largest}.open`) / v(`parley.${largest}.open`), 1)}× faster`,
        target: '≤ 150 ms',
        met: v(`parley.${largest}.open`) <= 150,
      },
      {
        bench,
        metric: `DOM nodes at ${sizes.map((n) => fmt(n)).join(' / ')} messages`,
        parley: sizes.map((n) => fmt(v(`parley.${n}.nodes`))).join(' / '),
        baseline: `render all ${sizes.map((n) => fmt(v(`naive.${n}.nodes`))).join(' / ')}`,
        ratio: `${ratio(v(`parley.${largest}.nodes`), v(`parley.${smallest}.nodes`))} from ${fmt(smallest)} to ${fmt(largest)}`,
        target: 'bounded',
        met: v(`parley.${largest}.nodes`) <= 1.5 * v(`parley.${smallest}.nodes`),
      },
      {
        bench,
        metric: `reload the app into the ${fmt(largest)}-message session: newest painted (from navigation)`,
        parley: `${fmt(v(`parley.${largest}.reload`))} ms`,
      },
    ];
  },
};
