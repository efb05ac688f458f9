/** Benchmark 5, bundle: initial JavaScript of the built client (dist/), gzipped, against its budget (BUDGET_GZIP). */

import { fileURLToPath } from 'node:url';
import { fmt, type Benchmark, type Row } from '../lib/bench.ts';
import { BUDGET_GZIP, bundleReport } from './initial-js.ts';

const DIST = fileURLToPath(new URL('../../../dist', import.meta.url));

export const bundle: Benchmark = {
  name: 'bundle',
  title: 'Initial JavaScript',
  deterministic: true,
  async measure(_options, log) {
    const report = bundleReport(DIST);
    for (const f of report.initial) log(`initial ${f.file}: ${fmt(f.bytes)} B, ${fmt(f.gzip)} B gzip`);
    for (const f of report.lazy) log(`lazy    ${f.file}: ${fmt(f.bytes)} B, ${fmt(f.gzip)} B gzip`);
    return {
      initialGzip: report.initialGzip,
      initialFiles: report.initial.length,
      initialBytes: report.initial.reduce((n, f) => n + f.bytes, 0),
      lazyGzip: report.lazyGzip,
    };
  },
  rows(r): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const kb = (b: number) => `${fmt(b / 1024, 1)} KB`;
    return [
      {
        bench: '5. Bundle',
        metric: `initial JS, gzip (${fmt(v('initialFiles'))} file(s), ${kb(v('initialBytes'))} raw)`,
        parley: kb(v('initialGzip')),
        baseline: `lazy chunks ${kb(v('lazyGzip'))}`,
        ratio: `${fmt((v('initialGzip') / BUDGET_GZIP) * 100)}% of budget`,
        target: `≤ ${fmt(BUDGET_GZIP / 1024)} KB`,
        met: v('initialGzip') <= BUDGET_GZIP,
      },
    ];
  },
};
