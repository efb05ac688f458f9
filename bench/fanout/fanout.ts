/**
 * Benchmark 1, relay fan-out: one agent streams ~20-byte deltas into C chats with S subscribers each.
 * Parley, bare `ws` with the same routing (the floor) and socket.io rooms (what many would pick) each run
 * in a child process; one load generator process (the same code for all three) holds the C × S client
 * sockets, so the server and the clients each have a core of their own.
 */

import { fileURLToPath } from 'node:url';
import { fmt, ratio, type Benchmark, type Options, type Row } from '../lib/bench.ts';
import { Child } from '../lib/child.ts';
import { sleep } from '../lib/clock.ts';
import { LatencyHistogram } from '../lib/stats.ts';
import type { FromLoad, FromServer, Impl, ToLoad, ToServer } from './messages.ts';

const SERVER = fileURLToPath(new URL('./server-main.js', import.meta.url));
const LOADGEN = fileURLToPath(new URL('./loadgen-main.js', import.meta.url));
const WARMUP_MS = 1000;
/** Extra node flags for the server under test, e.g. `--cpu-prof` to see where its time goes. */
const SERVER_FLAGS = process.env['BENCH_SERVER_NODE_FLAGS']?.split(' ').filter(Boolean) ?? [];

type Server = Child<ToServer, FromServer>;
type Load = Child<ToLoad, FromLoad>;

interface Window {
  perSecond: number;
  p50: number;
  p99: number;
  bytesPerFrame: number;
  serverBusy: number;
  loadBusy: number;
}

/** Measures one phase: delivered events per second and latency over `seconds`, after a warm-up. */
async function phase(server: Server, load: Load, start: ToServer, seconds: number): Promise<Window> {
  server.send(start);
  await sleep(WARMUP_MS);
  server.send({ type: 'cpu-mark' });
  await server.next('cpu');
  load.send({ type: 'window-start' });
  await sleep(seconds * 1000);
  load.send({ type: 'window-end' });
  server.send({ type: 'cpu-mark' });
  const [window, cpu] = await Promise.all([load.next('window'), server.next('cpu')]);
  server.send({ type: 'stop-emit' });
  if (window.verified === false) throw new Error('socket.io-client did not decode the events the raw clients counted');
  const histogram = new LatencyHistogram();
  histogram.merge(window.counts);
  return {
    perSecond: window.delivered / (window.wallMs / 1000),
    p50: histogram.percentileMs(50),
    p99: histogram.percentileMs(99),
    bytesPerFrame: window.bytes / Math.max(1, window.delivered),
    serverBusy: cpu.busy,
    loadBusy: window.busy,
  };
}

/** Waits until deliveries stop (queues drained) before the next phase. */
async function settle(load: Load, latest: () => number): Promise<void> {
  let last = -1;
  for (let i = 0; i < 50 && latest() !== last; i++) {
    last = latest();
    await sleep(200);
  }
  void load;
}

async function runImpl(
  impl: Impl,
  options: Options,
  halfRate: (max: number) => number,
  log: (line: string) => void,
): Promise<{ max: Window; half: Window }> {
  const { chats, subscribers } = options;
  const server: Server = new Child(SERVER, [impl, String(chats), String(subscribers)], SERVER_FLAGS);
  const load: Load = new Child(LOADGEN, []);
  try {
    const { port } = await server.next('listening');
    let total = 0;
    load.on('delivered', (m) => {
      total = m.total;
      server.send({ type: 'credit', delivered: m.total });
    });
    load.on('error', (m) => log(`load generator: ${m.message}`));
    load.send({ type: 'connect', plan: { impl, port, chats, subscribers, concurrency: 50 } });
    const connected = await load.next('connected', 180_000);
    log(`${impl}: ${connected.connections} connections in ${fmt(connected.ms)} ms`);
    if (impl === 'parley') {
      const ready = new Promise<void>((resolve) => server.on('turns', (m) => m.count >= chats && resolve()));
      load.send({ type: 'start-turns' });
      await ready;
    }
    const max = await phase(server, load, { type: 'emit-max', window: 20 * chats * subscribers }, options.seconds);
    await settle(load, () => total);
    log(
      `${impl}: max ${fmt(max.perSecond)} ev/s (server cpu ${fmt(max.serverBusy * 100)}%, load cpu ${fmt(max.loadBusy * 100)}%)`,
    );
    const rate = halfRate(max.perSecond);
    const half = await phase(server, load, { type: 'emit-rate', perSecond: rate / subscribers }, options.seconds);
    await settle(load, () => total);
    log(`${impl}: at ${fmt(rate)} ev/s p50 ${fmt(half.p50, 2)} ms p99 ${fmt(half.p99, 2)} ms`);
    return { max, half };
  } finally {
    load.send({ type: 'close' });
    await load.stop();
    await server.stop();
  }
}

export const fanout: Benchmark = {
  name: 'fanout',
  title: 'Relay fan-out',
  async measure(options, log) {
    const out: Record<string, number> = {};
    let parleyMax = 0;
    for (const impl of ['parley', 'ws', 'socketio'] as const) {
      const { max, half } = await runImpl(
        impl,
        options,
        (m) => {
          if (impl === 'parley') parleyMax = m;
          return parleyMax / 2;
        },
        log,
      );
      out[`${impl}.max`] = max.perSecond;
      out[`${impl}.maxP50`] = max.p50;
      out[`${impl}.maxP99`] = max.p99;
      out[`${impl}.serverBusy`] = max.serverBusy;
      out[`${impl}.perCore`] = max.perSecond / max.serverBusy;
      out[`${impl}.loadBusy`] = max.loadBusy;
      out[`${impl}.bytes`] = max.bytesPerFrame;
      out[`${impl}.half`] = half.perSecond;
      out[`${impl}.halfP50`] = half.p50;
      out[`${impl}.halfP99`] = half.p99;
    }
    out['halfRate'] = parleyMax / 2;
    return out;
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const bench = `1. Fan-out ${options.chats}×${options.subscribers}`;
    // Delivered events per second of server CPU: what the server does with a whole core. On a shared
    // machine the raw rate mostly shows how much CPU the scheduler gave each server during its phase.
    const perCore = (impl: string) => v(`${impl}.perCore`);
    const pct = (impl: string) => `${fmt(v(`${impl}.serverBusy`) * 100)}%`;
    return [
      {
        bench,
        metric: 'delivered events/s at max load (server CPU share)',
        parley: `${fmt(v('parley.max'))} (${pct('parley')})`,
        baseline: `ws ${fmt(v('ws.max'))} (${pct('ws')}); socket.io ${fmt(v('socketio.max'))} (${pct('socketio')})`,
        ratio: `${ratio(v('parley.max'), v('ws.max'))} ws, ${ratio(v('parley.max'), v('socketio.max'))} socket.io`,
      },
      {
        bench,
        metric: 'events/s per server core (delivered ÷ CPU share) vs bare ws',
        parley: fmt(perCore('parley')),
        baseline: `ws ${fmt(perCore('ws'))}`,
        ratio: ratio(perCore('parley'), perCore('ws')),
        target: '≥ 0.8×',
        met: perCore('parley') / perCore('ws') >= 0.8,
      },
      {
        bench,
        metric: 'events/s per server core vs socket.io rooms',
        parley: fmt(perCore('parley')),
        baseline: `socket.io ${fmt(perCore('socketio'))}`,
        ratio: ratio(perCore('parley'), perCore('socketio')),
        target: '≥ 3×',
        met: perCore('parley') / perCore('socketio') >= 3,
      },
      {
        bench,
        metric: `p50 / p99 latency at ${fmt(v('halfRate'))} ev/s (½ Parley max)`,
        parley: `${fmt(v('parley.halfP50'), 2)} / ${fmt(v('parley.halfP99'), 2)} ms`,
        baseline: `ws ${fmt(v('ws.halfP50'), 2)} / ${fmt(v('ws.halfP99'), 2)}; socket.io ${fmt(v('socketio.halfP50'), 2)} / ${fmt(v('socketio.halfP99'), 2)} ms`,
        target: 'p99 ≤ 10 ms',
        met: v('parley.halfP99') <= 10,
      },
      {
        bench,
        metric: 'bytes per delta frame',
        parley: `${fmt(v('parley.bytes'))} B`,
        baseline: `ws ${fmt(v('ws.bytes'))} B; socket.io ${fmt(v('socketio.bytes'))} B`,
      },
    ];
  },
};
