/**
 * Benchmark 2, memory per idle client connection: the server runs in a child process started with
 * --expose-gc; the load generator opens N connections that each follow one chat and then stay quiet.
 * Per connection = (memory with N open − memory after a warm-up of 100 connections that were closed again) / N,
 * both measured after full GCs.
 */

import { fileURLToPath } from 'node:url';
import { fmt, ratio, type Benchmark, type Row } from '../lib/bench.ts';
import { Child } from '../lib/child.ts';
import { sleep } from '../lib/clock.ts';
import type { FromLoad, FromServer, Impl, ToLoad, ToServer } from '../fanout/messages.ts';

const SERVER = fileURLToPath(new URL('../fanout/server-main.js', import.meta.url));
const LOADGEN = fileURLToPath(new URL('../fanout/loadgen-main.js', import.meta.url));
const CHATS = 100;

async function perConnection(impl: Impl, connections: number): Promise<{ heap: number; rss: number }> {
  const subscribers = Math.ceil(connections / CHATS);
  const server = new Child<ToServer, FromServer>(SERVER, [impl, String(CHATS), String(subscribers)], ['--expose-gc']);
  const load = new Child<ToLoad, FromLoad>(LOADGEN, []);
  try {
    const { port } = await server.next('listening');
    const failed = new Promise<never>((_, reject) =>
      load.on('error', (m) => reject(new Error(`load generator: ${m.message}`))),
    );
    // Warm-up: the first connections compile the server's code; that is not per-connection memory.
    load.send({ type: 'connect', plan: { impl, port, chats: CHATS, subscribers: 1, concurrency: 50 } });
    await Promise.race([load.next('connected'), failed]);
    load.send({ type: 'drop' });
    await load.next('dropped');
    await sleep(500);
    server.send({ type: 'memory' });
    const before = await server.next('memory');
    load.send({ type: 'connect', plan: { impl, port, chats: CHATS, subscribers, concurrency: 50 } });
    const connected = await Promise.race([load.next('connected', 300_000), failed]);
    await sleep(500);
    server.send({ type: 'memory' });
    const after = await server.next('memory');
    const n = connected.connections;
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
      for (const impl of ['parley', 'ws'] as const) {
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
      (['heap', 'rss'] as const).map((kind) => ({
        bench: '2. Memory per idle connection',
        metric: `${kind === 'heap' ? 'heap used' : 'RSS'} at ${fmt(n)} connections`,
        parley: kb(v(`parley.${n}.${kind}`)),
        baseline: `ws ${kb(v(`ws.${n}.${kind}`))}`,
        ratio: ratio(v(`parley.${n}.${kind}`), v(`ws.${n}.${kind}`)),
        target: '≤ 2×',
        met: v(`parley.${n}.${kind}`) <= 2 * v(`ws.${n}.${kind}`),
      })),
    );
  },
};
