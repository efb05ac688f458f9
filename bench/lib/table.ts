/** The results table, as Markdown, so the terminal output can go into docs/BENCHMARKS.md unchanged. */

import type { Row } from './bench.ts';

export function formatTable(rows: readonly Row[]): string {
  const header = ['Benchmark', 'Metric', 'Parley', 'Baseline', 'Ratio', 'Target', 'Met', 'Load'];
  const cells = rows.map((r) => [
    r.bench,
    r.metric,
    r.parley,
    r.baseline ?? '',
    r.ratio ?? '',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    r.load ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
