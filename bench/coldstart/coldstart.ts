/**
 * Benchmark 7, offline cold start: the app is installed (service worker active, sessions in IndexedDB) in a
 * Chromium profile on disk; the browser is closed and relaunched with the network off (Playwright's
 * offline mode, and the bench server refuses and counts any request), and the app opened. Measured from
 * navigation start to the first frame showing the newest message of the last session, and first contentful
 * paint. Baselines, same run: the same relaunch online (service worker and network), and a first visit over
 * the network without a service worker.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { fmt, type Benchmark, type Row } from '../lib/bench.ts';
import { launch, launchProfile, VIEWPORT } from '../lib/chromium.ts';
import { median } from '../lib/stats.ts';
import { pagesReady } from '../lib/pages.ts';
import { startSite, type Site } from '../lib/site.ts';
import { probeScript, seed } from '../history/history.ts';

const MARKER = 'newest-of-the-last-session';
const LAUNCHES = 3;

interface Startup {
  painted: number;
  fcp: number;
  /** Milestones since navigation start (see bench/pages/probe.ts). */
  phases: Record<string, number>;
}

const PHASES = [
  'domContentLoaded',
  'dbOpen',
  'sessionsRead',
  'configLoaded',
  'outboxRead',
  'shell',
  'messagesRead',
] as const;

/** Twenty older sessions for the sidebar and the last session: 200 messages, the newest carrying the marker. */
function sessions(now: number) {
  return [
    ...Array.from({ length: 20 }, (_, i) => ({
      id: `older-${i}`,
      title: `Older chat ${i}`,
      count: 20,
      marker: `older-${i}`,
      updatedAt: now - (i + 1) * 86_400_000,
    })),
    { id: 'last', title: 'The last session', count: 200, marker: MARKER, updatedAt: now },
  ];
}

async function startup(context: BrowserContext, site: Site): Promise<Startup> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript({ content: probeScript(MARKER) });
  // No hash: the app opens the most recent session by itself.
  await page.goto(site.app);
  const shown = (await page.evaluate('window.__probe.startup()')) as Startup | undefined;
  if (!shown) throw new Error('the probe saw no start-up');
  return shown;
}

async function installed(dir: string, site: Site): Promise<void> {
  const context = await launchProfile(dir);
  try {
    await seed(context, site, sessions(Date.now()));
    const page = await context.newPage();
    await page.goto(site.app);
    // main.ts registers the worker when the page is idle; clientsClaim() makes it control this page.
    await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 30_000 });
  } finally {
    await context.close();
  }
}

async function relaunches(dir: string, site: Site, offline: boolean): Promise<Startup[]> {
  const out: Startup[] = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const context = await launchProfile(dir);
    try {
      if (offline) await context.setOffline(true);
      site.offline = offline;
      out.push(await startup(context, site));
    } finally {
      site.offline = false;
      await context.close();
    }
  }
  return out;
}

async function firstVisits(site: Site): Promise<Startup[]> {
  const browser = await launch();
  const out: Startup[] = [];
  try {
    for (let i = 0; i < LAUNCHES; i++) {
      const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
      await seed(context, site, sessions(Date.now()));
      out.push(await startup(context, site));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}

export const coldstart: Benchmark = {
  name: 'coldstart',
  title: 'Offline cold start',
  async measure(_options, log) {
    await pagesReady();
    const site = await startSite();
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-profile-'));
    try {
      await installed(dir, site);
      const offline = await relaunches(dir, site, true);
      // The worker's own network-first fetch of config.json may slip past Playwright's offline mode; the server
      // refuses it like a dead network would. Anything else reaching the server means the shell was not cached.
      const leaked = site.offlineRequests.filter((path) => !path.endsWith('/config.json'));
      if (leaked.length) throw new Error(`offline start-up fetched from the network: ${leaked.join(', ')}`);
      const online = await relaunches(dir, site, false);
      const first = await firstVisits(site);
      const med = (list: Startup[], key: 'painted' | 'fcp') => median(list.map((s) => s[key]));
      const phases = Object.fromEntries(
        PHASES.map((p) => [`offline.${p}`, median(offline.map((s) => s.phases[p] ?? Number.NaN))]),
      );
      log(
        `offline phases (median ms): ${PHASES.map((p) => `${p} ${fmt(phases[`offline.${p}`] ?? Number.NaN)}`).join(', ')}`,
      );
      log(
        `offline: ${offline.map((s) => fmt(s.painted)).join(', ')} ms; online: ${online.map((s) => fmt(s.painted)).join(', ')} ms; first visit: ${first.map((s) => fmt(s.painted)).join(', ')} ms`,
      );
      return {
        offline: med(offline, 'painted'),
        offlineFcp: med(offline, 'fcp'),
        online: med(online, 'painted'),
        onlineFcp: med(online, 'fcp'),
        first: med(first, 'painted'),
        firstFcp: med(first, 'fcp'),
        ...phases,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await site.close();
    }
  },
  rows(r): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    return [
      {
        bench: '7. Offline cold start',
        metric: 'relaunch offline: last session’s newest message painted (from navigation)',
        parley: `${fmt(v('offline'))} ms`,
        baseline: `online ${fmt(v('online'))} ms; first visit, no SW ${fmt(v('first'))} ms`,
        ratio: `${fmt(v('offline') / v('online'), 2)}× online`,
        target: '≤ 300 ms',
        met: v('offline') <= 300,
      },
      {
        bench: '7. Offline cold start',
        metric: 'offline: where the time goes (ms from navigation)',
        parley:
          `script ran ${fmt(v('offline.domContentLoaded'))}, db open ${fmt(v('offline.dbOpen'))}, ` +
          `sessions ${fmt(v('offline.sessionsRead'))}, config.json ${fmt(v('offline.configLoaded'))}, ` +
          `shell ${fmt(v('offline.shell'))}, messages read ${fmt(v('offline.messagesRead'))}, ` +
          `painted ${fmt(v('offline'))}; after paint, off the critical path: outbox read ${fmt(v('offline.outboxRead'))}`,
      },
      {
        bench: '7. Offline cold start',
        metric: 'first contentful paint (app shell)',
        parley: `${fmt(v('offlineFcp'))} ms`,
        baseline: `online ${fmt(v('onlineFcp'))} ms; first visit ${fmt(v('firstFcp'))} ms`,
      },
    ];
  },
};
