/**
 * Benchmark 1, relay fan-out: one agent streams ~20-byte deltas (tokens) into C chats with S subscribers
 * each. Parley coalesced (as shipped), Parley with one frame per event (`--coalesce-ms 0`), bare `ws` with
 * the same routing (the floor) and socket.io rooms (what many would pick; both baselines send one frame per
 * token, as peers do) each run in a child process; one load generator process (the same code for all)
 * holds the C × S client sockets, so the server and the clients each have a core of their own.
 */

import { fileURLToPath } from 'node:url';
import { fmt, ratio, type Benchmark, type Options, type Row } from '../lib/bench.ts';
import { Child } from '../lib/child.ts';
import { sleep } from '../lib/clock.ts';
import { LatencyHistogram } from '../lib/stats.ts';
import { IMPLS, type FromLoad, type FromServer, type Impl, type ToLoad, type ToServer } from './messages.ts';

const SERVER = fileURLToPath(new URL('./server-main.js', import.meta.url));
const LOADGEN = fileURLToPath(new URL('./loadgen-main.js', import.meta.url));
const WARMUP_MS = 1000;
/** Extra node flags for the server under test, e.g. `--cpu-prof` to see where its time goes. */
const SERVER_FLAGS = process.env['BENCH_SERVER_NODE_FLAGS']?.split(' ').filter(Boolean) ?? [];

type Server = Child<ToServer, FromServer>;
type Load = Child<ToLoad, FromLoad>;

interface Window {
  /** Tokens delivered per second. */
  perSecond: number;
  framesPerSecond: number;
  p50: number;
  p99: number;
  bytesPerToken: number;
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
    framesPerSecond: window.frames / (window.wallMs / 1000),
    p50: histogram.percentileMs(50),
    p99: histogram.percentileMs(99),
    bytesPerToken: window.bytes / Math.max(1, window.delivered),
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
    if (impl === 'parley' || impl === 'parley-single') {
      const ready = new Promise<void>((resolve) => server.on('turns', (m) => m.count >= chats && resolve()));
      load.send({ type: 'start-turns' });
      await ready;
    }
    const max = await phase(server, load, { type: 'emit-max', window: 20 * chats * subscribers }, options.seconds);
    await settle(load, () => total);
    log(
      `${impl}: max ${fmt(max.perSecond)} tokens/s in ${fmt(max.framesPerSecond)} frames/s (server cpu ${fmt(max.serverBusy * 100)}%, load cpu ${fmt(max.loadBusy * 100)}%)`,
    );
    // Half of this server's own max: a baseline run at Parley's would be past its capacity, its latency unbounded.
    const rate = max.perSecond / 2;
    const half = await phase(server, load, { type: 'emit-rate', perSecond: rate / subscribers }, options.seconds);
    await settle(load, () => total);
    log(`${impl}: at ${fmt(rate)} tokens/s p50 ${fmt(half.p50, 2)} ms p99 ${fmt(half.p99, 2)} ms`);
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
    for (const impl of IMPLS) {
      const { max, half } = await runImpl(impl, options, log);
      out[`${impl}.max`] = max.perSecond;
      out[`${impl}.frames`] = max.framesPerSecond;
      out[`${impl}.maxP50`] = max.p50;
      out[`${impl}.maxP99`] = max.p99;
      out[`${impl}.serverBusy`] = max.serverBusy;
      out[`${impl}.perCore`] = max.perSecond / max.serverBusy;
      out[`${impl}.loadBusy`] = max.loadBusy;
      out[`${impl}.bytes`] = max.bytesPerToken;
      out[`${impl}.half`] = half.perSecond;
      out[`${impl}.halfP50`] = half.p50;
      out[`${impl}.halfP99`] = half.p99;
    }
    return out;
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const bench = `1. Fan-out ${options.chats}×${options.subscribers}`;
    // Tokens delivered per second of server CPU: what the server does with a whole core. On a shared
    // machine the raw rate mostly shows how much CPU the scheduler gave each server during its phase.
    const perCore = (impl: string) => v(`${impl}.perCore`);
    const pct = (impl: string) => `${fmt(v(`${impl}.serverBusy`) * 100)}%`;
    const bases = (f: (impl: string) => string) => `ws ${f('ws')}; socket.io ${f('socketio')}`;
    const single = (f: (impl: string) => string) => `; one frame per event ${f('parley-single')}`;
    const latency = (impl: string) =>
      `${fmt(v(`${impl}.halfP50`), 2)} / ${fmt(v(`${impl}.halfP99`), 2)} ms at ${fmt(v(`${impl}.half`))}/s`;
    return [
      {
        bench,
        metric: 'tokens delivered/s at max load (server CPU share)',
        parley: `${fmt(v('parley.max'))} (${pct('parley')})${single((i) => `${fmt(v(`${i}.max`))} (${pct(i)})`)}`,
        baseline: bases((i) => `${fmt(v(`${i}.max`))} (${pct(i)})`),
        ratio: `${ratio(v('parley.max'), v('ws.max'))} ws, ${ratio(v('parley.max'), v('socketio.max'))} socket.io`,
      },
      {
        bench,
        metric: 'frames/s at max load',
        parley: `${fmt(v('parley.frames'))}${single((i) => fmt(v(`${i}.frames`)))}`,
        baseline: bases((i) => fmt(v(`${i}.frames`))),
        ratio: `${fmt(v('parley.max') / v('parley.frames'), 1)} tokens per frame`,
      },
      {
        bench,
        metric: 'tokens/s per server core (delivered ÷ CPU share) vs bare ws',
        parley: `${fmt(perCore('parley'))}${single((i) => `${fmt(perCore(i))} (${ratio(perCore(i), perCore('ws'))})`)}`,
        baseline: `ws ${fmt(perCore('ws'))}`,
        ratio: ratio(perCore('parley'), perCore('ws')),
        target: '≥ 2×',
        met: perCore('parley') / perCore('ws') >= 2,
      },
      {
        bench,
        metric: 'tokens/s per server core vs socket.io rooms',
        parley: `${fmt(perCore('parley'))}${single((i) => `${fmt(perCore(i))} (${ratio(perCore(i), perCore('socketio'))})`)}`,
        baseline: `socket.io ${fmt(perCore('socketio'))}`,
        ratio: ratio(perCore('parley'), perCore('socketio')),
        target: '≥ 3×',
        met: perCore('parley') / perCore('socketio') >= 3,
      },
      {
        bench,
        metric: 'p50 / p99 latency at ½ of each server’s own max',
        parley: `${latency('parley')}${single(latency)}`,
        baseline: bases(latency),
        target: 'p99 ≤ 20 ms',
        met: v('parley.halfP99') <= 20,
      },
      {
        bench,
        metric: 'wire bytes per token (WebSocket payload, at max load)',
        parley: `${fmt(v('parley.bytes'))} B${single((i) => `${fmt(v(`${i}.bytes`))} B`)}`,
        baseline: bases((i) => `${fmt(v(`${i}.bytes`))} B`),
        ratio: ratio(v('parley.bytes'), v('ws.bytes')),
        target: '≤ bare ws',
        met: v('parley.bytes') <= v('ws.bytes'),
      },
    ];
  },
};
