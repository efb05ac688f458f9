/**
 * Benchmark 9, first load: bytes the relay-served app costs a new visitor, and a returning one, as Chromium
 * counts them on the wire (headers and encoded bodies, every request: page and service worker precache).
 * The built relay serves dist/ as built (brotli/gzip copies beside the files) and, as the baseline in the
 * same run, a copy of dist/ without them: what the relay sent before it served precompressed files.
 */

import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'playwright-core';
import { fmt, ratio, type Benchmark, type Row } from '../lib/bench.ts';
import { launch, VIEWPORT } from '../lib/chromium.ts';
import { RELAY_MAIN, startRelayProcess } from '../lib/relay-process.ts';
import { DIST } from '../lib/site.ts';

async function removeCopies(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true })) {
    if (entry.endsWith('.br') || entry.endsWith('.gz')) await rm(join(dir, entry));
  }
}

interface Visit {
  /** Bytes on the wire: response headers and encoded bodies (and request headers are not counted). */
  bytes: number;
  requests: number;
}

/**
 * A first visit (until the service worker, if allowed, has precached and the network is idle), then a reload.
 * Without the worker the reload shows HTTP caching alone: hashed assets from cache, the rest revalidated.
 */
async function visits(base: string, worker: boolean): Promise<{ first: Visit; again: Visit }> {
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: worker ? 'allow' : 'block' });
    let current: Visit = { bytes: 0, requests: 0 };
    const pending: Promise<void>[] = [];
    const count = (req: Request) => {
      pending.push(
        (async () => {
          const response = await req.response();
          // Answered by the service worker from its cache: nothing crossed the network.
          if (!response || response.fromServiceWorker()) return;
          const sizes = await req.sizes();
          current.bytes += sizes.responseHeadersSize + sizes.responseBodySize;
          current.requests++;
        })(),
      );
    };
    context.on('requestfinished', count);
    const page = await context.newPage();
    await page.goto(base, { waitUntil: 'networkidle' });
    // A string: bench/ compiles without the DOM types.
    if (worker) await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await page.waitForLoadState('networkidle');
    await Promise.all(pending.splice(0));
    const first = current;
    current = { bytes: 0, requests: 0 };
    await page.reload({ waitUntil: 'networkidle' });
    await Promise.all(pending.splice(0));
    return { first, again: current };
  } finally {
    await browser.close();
  }
}

export const firstload: Benchmark = {
  name: 'firstload',
  title: 'First load over the network',
  async measure(_options, log) {
    if (!existsSync(RELAY_MAIN) || !existsSync(join(DIST, 'index.html'))) {
      throw new Error('firstload: run `npm run build` first (it needs build/relay/main.node.js and dist/)');
    }
    const out: Record<string, number> = {};
    const plain = mkdtempSync(join(tmpdir(), 'parley-bench-firstload-'));
    try {
      cpSync(DIST, plain, { recursive: true });
      await removeCopies(plain);
      for (const [name, dir] of [
        ['precompressed', DIST],
        ['plain', plain],
      ] as const) {
        const site = await startRelayProcess(dir);
        try {
          for (const worker of [true, false]) {
            const { first, again } = await visits(site.base, worker);
            const key = `${name}.${worker ? 'sw' : 'nosw'}`;
            log(
              `${key}: first visit ${fmt(first.bytes)} B in ${first.requests} requests; reload ${fmt(again.bytes)} B`,
            );
            out[`${key}.first`] = first.bytes;
            out[`${key}.firstRequests`] = first.requests;
            out[`${key}.again`] = again.bytes;
            out[`${key}.againRequests`] = again.requests;
          }
        } finally {
          await site.stop();
        }
      }
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
    return out;
  },
  rows(r): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const kb = (b: number) => `${fmt(b / 1024, 1)} KB`;
    const bench = '9. First load';
    const reload = (key: string) => `${kb(v(`${key}.again`))} (${fmt(v(`${key}.againRequests`))} requests)`;
    return [
      {
        bench,
        metric: 'first visit: bytes on the wire, page and service worker precache',
        parley: `${kb(v('precompressed.sw.first'))} (${fmt(v('precompressed.sw.firstRequests'))} requests)`,
        baseline: `uncompressed ${kb(v('plain.sw.first'))}`,
        ratio: ratio(v('precompressed.sw.first'), v('plain.sw.first')),
      },
      {
        bench,
        metric: 'first visit without a service worker: bytes on the wire',
        parley: `${kb(v('precompressed.nosw.first'))} (${fmt(v('precompressed.nosw.firstRequests'))} requests)`,
        baseline: `uncompressed ${kb(v('plain.nosw.first'))}`,
        ratio: ratio(v('precompressed.nosw.first'), v('plain.nosw.first')),
      },
      {
        bench,
        metric: 'reload: bytes on the wire, with the worker / HTTP cache alone',
        parley: `${reload('precompressed.sw')} / ${reload('precompressed.nosw')}`,
        baseline: `uncompressed ${reload('plain.sw')} / ${reload('plain.nosw')}`,
      },
    ];
  },
};
