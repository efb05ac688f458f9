/**
 * Benchmark 1, relay fan-out: one agent streams ~20-byte deltas (tokens) into C chats with S subscribers
 * each. Parley as shipped (coalesced, in-process, memory only, Node), Parley with one thing changed (one frame
 * per event, `--coalesce-ms 0`; under Deno; on Redis; with `--data-dir`), bare `ws` with the same routing (the
 * floor) and socket.io rooms (what many would pick; both baselines send one frame per token, as peers do) each
 * run in a child process pinned to one core; one load generator process (the same code for all) holds the
 * C × S client sockets on the other core. The 1-minute load average is taken at the end of every phase.
 */

import { fileURLToPath } from 'node:url';
import { startRedis, type TestRedis } from '../../test/helpers/redis.ts';
import { fmt, ratio, type Benchmark, type Options, type Row } from '../lib/bench.ts';
import { Child } from '../lib/child.ts';
import { sleep } from '../lib/clock.ts';
import { canPin, load1, LOAD_CPU, pinProcess, processCpuMs, SERVER_CPU } from '../lib/cpus.ts';
import { LatencyHistogram } from '../lib/stats.ts';
import { isParley, type FromLoad, type Impl, type ToLoad, type ToServer } from './messages.ts';
import { startServer, type Server } from './server-child.ts';

const LOADGEN = fileURLToPath(new URL('./loadgen-main.js', import.meta.url));
const WARMUP_MS = 1000;
/** Extra node flags for the server under test, e.g. `--cpu-prof` to see where its time goes. */
const SERVER_FLAGS = process.env['BENCH_SERVER_NODE_FLAGS']?.split(' ').filter(Boolean) ?? [];

type Load = Child<ToLoad, FromLoad>;

interface Window {
  /** Tokens delivered per second. */
  perSecond: number;
  framesPerSecond: number;
  p50: number;
  p99: number;
  bytesPerToken: number;
  serverBusy: number;
  /** Redis's CPU share in the same window (parley-redis only, else 0). */
  redisBusy: number;
  loadBusy: number;
  /** The 1-minute load average at the end of the window. */
  loadAverage: number;
}

/** Measures one phase: delivered events per second and latency over `seconds`, after a warm-up. */
async function phase(server: Server, load: Load, start: ToServer, seconds: number, redis?: TestRedis): Promise<Window> {
  server.send(start);
  await sleep(WARMUP_MS);
  server.send({ type: 'cpu-mark' });
  await server.next('cpu');
  const redisPid = redis?.pid;
  const redisAt = { cpu: redisPid ? processCpuMs(redisPid) : 0, wall: performance.now() };
  load.send({ type: 'window-start' });
  await sleep(seconds * 1000);
  load.send({ type: 'window-end' });
  server.send({ type: 'cpu-mark' });
  const redisBusy = redisPid ? (processCpuMs(redisPid) - redisAt.cpu) / (performance.now() - redisAt.wall) : 0;
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
    redisBusy,
    loadBusy: window.busy,
    loadAverage: load1(),
  };
}

/** Waits until deliveries stop (queues drained) before the next phase. */
async function settle(latest: () => number): Promise<void> {
  let last = -1;
  for (let i = 0; i < 50 && latest() !== last; i++) {
    last = latest();
    await sleep(200);
  }
}

async function runImpl(
  impl: Impl,
  options: Options,
  log: (line: string) => void,
): Promise<{ max: Window; half: Window }> {
  const { chats, subscribers } = options;
  // Redis in memory only (no append-only file), as the in-process relay here keeps chats in memory only.
  const redis = impl === 'parley-redis' ? await startRedis({ durable: false }) : undefined;
  if (redis?.pid) pinProcess(redis.pid, SERVER_CPU);
  const server = startServer(impl, chats, subscribers, SERVER_FLAGS, redis?.url);
  const load: Load = new Child(LOADGEN, [], [], { cpu: LOAD_CPU });
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
    if (isParley(impl)) {
      const ready = new Promise<void>((resolve) => server.on('turns', (m) => m.count >= chats && resolve()));
      load.send({ type: 'start-turns' });
      await ready;
    }
    const max = await phase(
      server,
      load,
      { type: 'emit-max', window: 20 * chats * subscribers },
      options.seconds,
      redis,
    );
    await settle(() => total);
    const redisCpu = redis ? `, redis cpu ${fmt(max.redisBusy * 100)}%` : '';
    log(
      `${impl}: max ${fmt(max.perSecond)} tokens/s in ${fmt(max.framesPerSecond)} frames/s (server cpu ${fmt(max.serverBusy * 100)}%${redisCpu}, load cpu ${fmt(max.loadBusy * 100)}%; load average ${fmt(max.loadAverage, 2)})`,
    );
    // Half of this server's own max: a baseline run at Parley's would be past its capacity, its latency unbounded.
    // `--fanout-rate` runs every server at the same rate instead.
    const rate = options.fanoutRate ?? max.perSecond / 2;
    const half = await phase(
      server,
      load,
      { type: 'emit-rate', perSecond: rate / subscribers },
      options.seconds,
      redis,
    );
    await settle(() => total);
    log(
      `${impl}: at ${fmt(rate)} tokens/s offered, ${fmt(half.perSecond)} delivered: p50 ${fmt(half.p50, 2)} ms p99 ${fmt(half.p99, 2)} ms (load average ${fmt(half.loadAverage, 2)})`,
    );
    return { max, half };
  } finally {
    load.send({ type: 'close' });
    await load.stop();
    await server.stop();
    await redis?.stop();
  }
}

/** What each set-up is called in the table. */
const NAMES: Record<Impl, string> = {
  parley: 'Parley',
  'parley-single': 'one frame per event',
  'parley-deno': 'Deno',
  'parley-redis': 'Redis backend',
  'parley-disk': '--data-dir',
  ws: 'ws',
  socketio: 'socket.io',
};

export const fanout: Benchmark = {
  name: 'fanout',
  title: 'Relay fan-out',
  async measure(options, log) {
    const out: Record<string, number> = {};
    if (!canPin()) log('taskset or a second core is missing: the server and the load generator are not pinned');
    for (const impl of options.fanoutServers) {
      const { max, half } = await runImpl(impl, options, log);
      out[`${impl}.max`] = max.perSecond;
      out[`${impl}.frames`] = max.framesPerSecond;
      out[`${impl}.maxP50`] = max.p50;
      out[`${impl}.maxP99`] = max.p99;
      out[`${impl}.serverBusy`] = max.serverBusy;
      out[`${impl}.redisBusy`] = max.redisBusy;
      out[`${impl}.perCore`] = max.perSecond / max.serverBusy;
      out[`${impl}.loadBusy`] = max.loadBusy;
      out[`${impl}.bytes`] = max.bytesPerToken;
      out[`${impl}.loadMax`] = max.loadAverage;
      out[`${impl}.half`] = half.perSecond;
      out[`${impl}.halfP50`] = half.p50;
      out[`${impl}.halfP99`] = half.p99;
      out[`${impl}.halfFrames`] = half.framesPerSecond;
      out[`${impl}.halfBytes`] = half.bytesPerToken;
      out[`${impl}.halfPerCore`] = half.perSecond / half.serverBusy;
      out[`${impl}.loadHalf`] = half.loadAverage;
    }
    return out;
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const has = (impl: Impl) => options.fanoutServers.includes(impl);
    const bench = `1. Fan-out ${options.chats}×${options.subscribers}`;
    // Tokens delivered per second of server CPU: what the server does with a whole core. On a shared
    // machine the raw rate mostly shows how much CPU the scheduler gave each server during its phase.
    const perCore = (impl: Impl) => v(`${impl}.perCore`);
    const pct = (impl: Impl) => `${fmt(v(`${impl}.serverBusy`) * 100)}%`;
    /** The listed set-ups that ran, each formatted. */
    const each = (impls: Impl[], f: (impl: Impl) => string, sep = '; ') =>
      impls
        .filter(has)
        .map((i) => `${NAMES[i]} ${f(i)}`)
        .join(sep);
    const loads = (impls: Impl[], key: 'loadMax' | 'loadHalf' = 'loadMax') =>
      each(impls, (i) => fmt(v(`${i}.${key}`), 1), ', ');
    const latency = (impl: Impl) =>
      `${fmt(v(`${impl}.halfP50`), 2)} / ${fmt(v(`${impl}.halfP99`), 2)} ms at ${fmt(v(`${impl}.half`))}/s`;
    const bases: Impl[] = ['ws', 'socketio'];
    const main: Impl[] = ['parley', 'parley-single'];
    const all: Impl[] = [...main, ...bases];
    const rows: Row[] = [];
    if (has('parley') && has('ws') && has('socketio')) {
      rows.push(
        {
          bench,
          metric: 'tokens delivered/s at max load (server CPU share)',
          parley: each(main, (i) => `${fmt(v(`${i}.max`))} (${pct(i)})`),
          baseline: each(bases, (i) => `${fmt(v(`${i}.max`))} (${pct(i)})`),
          ratio: `${ratio(v('parley.max'), v('ws.max'))} ws, ${ratio(v('parley.max'), v('socketio.max'))} socket.io`,
          load: loads(all),
        },
        {
          bench,
          metric: 'frames/s at max load',
          parley: each(main, (i) => fmt(v(`${i}.frames`))),
          baseline: each(bases, (i) => fmt(v(`${i}.frames`))),
          ratio:
            `${fmt(v('parley.max') / v('parley.frames'), 1)} tokens per frame, ` +
            `${fmt(v('parley.max') / (options.chats * options.subscribers))} tokens/s per chat`,
          load: loads(all),
        },
        {
          bench,
          metric: 'tokens/s per server core (delivered ÷ CPU share) vs bare ws',
          parley: each(main, (i) => `${fmt(perCore(i))} (${ratio(perCore(i), perCore('ws'))})`),
          baseline: `ws ${fmt(perCore('ws'))}`,
          ratio: ratio(perCore('parley'), perCore('ws')),
          target: '≥ 2×',
          met: perCore('parley') / perCore('ws') >= 2,
          load: loads(['parley', 'ws']),
        },
        {
          bench,
          metric: 'tokens/s per server core vs socket.io rooms',
          parley: each(main, (i) => `${fmt(perCore(i))} (${ratio(perCore(i), perCore('socketio'))})`),
          baseline: `socket.io ${fmt(perCore('socketio'))}`,
          ratio: ratio(perCore('parley'), perCore('socketio')),
          target: '≥ 3×',
          met: perCore('parley') / perCore('socketio') >= 3,
          load: loads(['parley', 'socketio']),
        },
        {
          bench,
          metric: options.fanoutRate
            ? `p50 / p99 latency at ${fmt(options.fanoutRate)} tokens/s (--fanout-rate)`
            : 'p50 / p99 latency at ½ of each server’s own max',
          parley: each(main, latency),
          baseline: each(bases, latency),
          target: 'p99 ≤ 20 ms',
          met: v('parley.halfP99') <= 20,
          load: loads(all, 'loadHalf'),
        },
        {
          bench,
          metric: 'wire bytes per token (WebSocket payload, at max load)',
          parley: each(main, (i) => `${fmt(v(`${i}.bytes`))} B`),
          baseline: each(bases, (i) => `${fmt(v(`${i}.bytes`))} B`),
          ratio: ratio(v('parley.bytes'), v('ws.bytes')),
          target: '≤ bare ws',
          met: v('parley.bytes') <= v('ws.bytes'),
          load: loads(['parley', 'ws']),
        },
      );
    }
    if (has('parley')) {
      // At a fixed rate the CPU share is what the load costs, not what the scheduler gave.
      const atHalf = (i: Impl) =>
        `${fmt(v(`${i}.half`) / v(`${i}.halfFrames`), 1)} tokens per frame, ${fmt(v(`${i}.halfPerCore`))} tokens/s per core, ` +
        `${fmt(v(`${i}.halfBytes`))} B per token`;
      rows.push({
        bench,
        metric: `at ${options.fanoutRate ? 'the same fixed rate' : '½ of each server’s own max'} (${fmt(v('parley.half') / (options.chats * options.subscribers))} tokens/s per chat for Parley)`,
        parley: each(main, atHalf),
        baseline: each(bases, (i) => `${fmt(v(`${i}.halfPerCore`))} tokens/s per core, ${fmt(v(`${i}.halfBytes`))} B`),
        load: loads(all, 'loadHalf'),
      });
    }
    if (has('parley-single')) {
      rows.push({
        bench,
        metric: `one frame per event (--coalesce-ms 0): p99 at ${options.fanoutRate ? 'the fixed rate' : '½ its max'}, server and load generator pinned`,
        parley: latency('parley-single'),
        target: 'p99 ≤ 10 ms',
        met: v('parley-single.halfP99') <= 10,
        load: loads(['parley-single'], 'loadHalf'),
      });
    }
    const variant = (impl: Impl, metric: string, extra = '') =>
      has(impl) && has('parley')
        ? [
            {
              bench,
              metric,
              parley: `${fmt(perCore(impl))} tokens/s per core (${fmt(v(`${impl}.max`))}/s at ${pct(impl)}${extra}); p99 at ½ max ${fmt(v(`${impl}.halfP99`), 1)} ms; ${fmt(v(`${impl}.bytes`))} B per token`,
              baseline: `Parley ${fmt(perCore('parley'))} per core (${fmt(v('parley.max'))}/s at ${pct('parley')})`,
              ratio: ratio(perCore(impl), perCore('parley')),
              load: loads([impl, 'parley']),
            },
          ]
        : [];
    rows.push(...variant('parley-deno', 'the relay under Deno, same load: tokens/s per server core'));
    // Every set-up that ran, on one line each, beside the load average of its own phases.
    for (const impl of options.fanoutServers) {
      const n = (k: string) => v(`${impl}.${k}`);
      rows.push({
        bench,
        metric: `${NAMES[impl]}: max tokens/s (CPU share), tokens per frame, per core, B per token; fixed rate p50 / p99`,
        parley:
          `${fmt(n('max'))}/s (${pct(impl)}), ${fmt(n('max') / n('frames'), 1)} per frame, ${fmt(perCore(impl))} per core, ` +
          `${fmt(n('bytes'))} B; ${latency(impl)}`,
        load: `${fmt(n('loadMax'), 1)}, ${fmt(n('loadHalf'), 1)}`,
      });
    }
    if (has('parley-redis') && has('parley')) {
      // The shared backend's work is split between the relay and Redis: per core counts both.
      const both = v('parley-redis.max') / (v('parley-redis.serverBusy') + v('parley-redis.redisBusy'));
      rows.push(
        ...variant(
          'parley-redis',
          'Redis backend (redis-server on the server core): tokens/s per relay core',
          `, redis-server ${fmt(v('parley-redis.redisBusy') * 100)}%`,
        ),
        {
          bench,
          metric: 'Redis backend: tokens/s per core of relay + redis-server',
          parley: fmt(both),
          baseline: `in-process ${fmt(perCore('parley'))}`,
          ratio: ratio(both, perCore('parley')),
          load: loads(['parley-redis', 'parley']),
        },
      );
    }
    rows.push(...variant('parley-disk', '--data-dir (own append-only log): tokens/s per server core'));
    if (has('parley-disk')) {
      rows.push({
        bench,
        metric: '--data-dir: events appended/s at max load (tokens delivered ÷ subscribers)',
        parley: fmt(v('parley-disk.max') / options.subscribers),
        baseline: has('parley') ? `memory only ${fmt(v('parley.max') / options.subscribers)}` : '',
        ...(has('parley') ? { ratio: ratio(v('parley-disk.max'), v('parley.max')) } : {}),
        load: loads(['parley-disk', 'parley']),
      });
    }
    return rows;
  },
};
