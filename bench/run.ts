/** `npm run bench`: runs the chosen benchmarks, each with its baseline in the same run, and prints one table. */

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './lib/args.ts';
import type { Benchmark, Row } from './lib/bench.ts';
import { medians } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';
import { bundle } from './bundle/bundle.ts';
import { coldstart } from './coldstart/coldstart.ts';
import { fanout } from './fanout/fanout.ts';
import { firstload } from './firstload/firstload.ts';
import { history } from './history/history.ts';
import { memory } from './memory/memory.ts';
import { render } from './render/render.ts';
import { replay } from './replay/replay.ts';
import { storage } from './storage/storage.ts';
import { structure } from './structure/structure.ts';

const ALL: Benchmark[] = [fanout, memory, render, history, bundle, replay, coldstart, structure, firstload, storage];

const parsed = parseArgs(
  process.argv.slice(2),
  ALL.map((b) => b.name),
);
if (!parsed.ok) {
  console.error(`bench: ${parsed.error}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}
const { options, only, json } = parsed;
const chosen = ALL.filter((b) => only.includes(b.name));
const rows: Row[] = [];
const raw: Record<string, Record<string, number>> = {};
/** The 1-minute load average around each benchmark: on a shared machine, context for every number. */
const load: Record<string, [number, number]> = {};
const started = performance.now();
for (const bench of chosen) {
  const runs: Record<string, number>[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  const count = bench.deterministic ? 1 : options.runs;
  for (let i = 0; i < count; i++) {
    const log = (line: string) => options.verbose && console.error(`[${bench.name} ${i + 1}/${count}] ${line}`);
    const t0 = performance.now();
    runs.push(await bench.measure(options, log));
    log(`run took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const around: [number, number] = [loadBefore, loadavg()[0] ?? 0];
  load[bench.name] = around;
  const result = medians(runs);
  raw[bench.name] = result;
  const span = around.map((l) => l.toFixed(1)).join('→');
  rows.push(...bench.rows(result, options).map((row) => ({ load: span, ...row })));
}
console.log(formatTable(rows));
const loads = chosen.map((b) => `${b.name} ${(load[b.name] ?? []).map((l) => l.toFixed(1)).join('→')}`).join(', ');
console.log(
  `\n${chosen.length} benchmark(s); medians of ${options.runs} run(s) each (bundle and replay are deterministic: 1); ` +
    `${((performance.now() - started) / 1000).toFixed(0)} s. Load average (1 min) before→after: ${loads}`,
);
const out = json ?? fileURLToPath(new URL('../bench-results.json', import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), options, load, raw, rows }, null, 2));
