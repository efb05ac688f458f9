/**
 * Benchmark 2, memory per idle client connection: the server runs in a child process started with
 * --expose-gc; the load generator opens connections that each follow one chat and then stay quiet. Per
 * connection = (memory with N open − memory with N/5 open) / (4N/5), in one process that only grows, after
 * full GCs and a warm-up (1,000 connections opened and closed 100 at a time): one-off costs (compiled code,
 * compiler memory) and freed pages being reused stay out of it.
 */

import { fileURLToPath } from 'node:url';
import { fmt, ratio, type Benchmark, type Row } from '../lib/bench.ts';
import { Child } from '../lib/child.ts';
import { sleep } from '../lib/clock.ts';
import { LOAD_CPU } from '../lib/cpus.ts';
import type { FromLoad, Impl, ToLoad } from '../fanout/messages.ts';
import { startServer } from '../fanout/server-child.ts';

/** Parley on Node and on Deno, against bare ws (on Node). */
const IMPLS = ['parley', 'parley-deno', 'ws'] as const;
const LOADGEN = fileURLToPath(new URL('../fanout/loadgen-main.js', import.meta.url));
const CHATS = 100;

async function perConnection(impl: Impl, connections: number): Promise<{ heap: number; rss: number }> {
  const first = Math.round(connections / 5);
  const flags = ['--expose-gc', ...(process.env['BENCH_MEMORY_FLAGS']?.split(' ').filter(Boolean) ?? [])];
  const server = startServer(impl, CHATS, 1, flags);
  const load = new Child<ToLoad, FromLoad>(LOADGEN, [], [], { cpu: LOAD_CPU });
  try {
    const { port } = await server.next('listening');
    const failed = new Promise<never>((_, reject) =>
      load.on('error', (m) => reject(new Error(`load generator: ${m.message}`))),
    );
    const open = async (n: number) => {
      const plan = { impl, port, chats: CHATS, subscribers: Math.ceil(n / CHATS), concurrency: 50 };
      await Promise.race([(load.send({ type: 'connect', plan }), load.next('connected', 300_000)), failed]);
    };
    const measure = async () => {
      await sleep(500);
      server.send({ type: 'memory' });
      return server.next('memory');
    };
    // Warm-up: ten rounds of 100 connections that come and go, so the connect path is hot and compiled
    // (compiled code and compiler memory are paid once, not per connection).
    for (let round = 0; round < 10; round++) {
      await open(CHATS);
      load.send({ type: 'drop' });
      await load.next('dropped');
    }
    // Then only growing, in one process: memory at N/5 open and at N open.
    await open(first);
    const before = await measure();
    await open(connections - first);
    const after = await measure();
    const n = connections - first;
    return { heap: (after.heapUsed - before.heapUsed) / n, rss: (after.rss - before.rss) / n };
  } finally {
    load.send({ type: 'close' });
    await load.stop();
    await server.stop();
  }
}

export const memory: Benchmark = {
  name: 'memory',
  title: 'Memory per idle connection',
  async measure(options, log) {
    const out: Record<string, number> = {};
    for (const n of options.memorySizes) {
      for (const impl of IMPLS) {
        const m = await perConnection(impl, n);
        out[`${impl}.${n}.heap`] = m.heap;
        out[`${impl}.${n}.rss`] = m.rss;
        log(`${impl} × ${n}: heap ${fmt(m.heap)} B, rss ${fmt(m.rss)} B per connection`);
      }
    }
    return out;
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const kb = (b: number) => `${fmt(b / 1024, 1)} KB`;
    return options.memorySizes.flatMap((n) =>
      (['heap', 'rss'] as const).flatMap((kind) => {
        const at = (impl: string) => v(`${impl}.${n}.${kind}`);
        const metric = `${kind === 'heap' ? 'heap used' : 'RSS'} at ${fmt(n)} connections`;
        return [
          {
            bench: '2. Memory per idle connection',
            metric,
            parley: kb(at('parley')),
            baseline: `ws ${kb(at('ws'))}`,
            ratio: ratio(at('parley'), at('ws')),
            target: '≤ 2×',
            met: at('parley') <= 2 * at('ws'),
          },
          {
            bench: '2. Memory per idle connection',
            metric: `${metric}, the relay under Deno`,
            parley: kb(at('parley-deno')),
            baseline: `Parley on Node ${kb(at('parley'))}; ws ${kb(at('ws'))}`,
            ratio: `${ratio(at('parley-deno'), at('parley'))} Node, ${ratio(at('parley-deno'), at('ws'))} ws`,
          },
        ];
      }),
    );
  },
};
