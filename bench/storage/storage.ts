/**
 * Benchmark 9, storage: what keeping every chat's history costs, per engine, with the durability Parley promises
 * (an ack only once its event is fsynced; a streamed event written before it is fanned out). The own log runs
 * on Node and on Deno; `node:sqlite` on Deno (Node 20 has none); better-sqlite3, lmdb and classic-level when
 * `--storage-candidates DIR` names a directory where they are installed. End to end: a relay restarted on a
 * data directory holding a 5,000-message chat, and a new device opening it.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { serveNode } from '../../relay/adapters/node/serve.ts';
import { assembleRelay } from '../../relay/assemble.ts';
import { DEFAULTS } from '../../relay/config.ts';
import { createAgent } from '../../relay/agents/create.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { openHistory } from '../../relay/storage/open.ts';
import { fmt, type Benchmark, type Row } from '../lib/bench.ts';
import { level, lmdb, loadFrom, ownLog, sqlite } from './engines.ts';
import { measure, messageEvent, type Figures } from './workload.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const KEYS: (keyof Figures)[] = [
  'ackedSerialPerSec',
  'ackedConcurrentPerSec',
  'streamedPerSec',
  'read5000FirstMs',
  'read5000Ms',
  'chatBytes',
];

function prefixed(prefix: string, f: Figures): Record<string, number> {
  return Object.fromEntries(KEYS.map((k) => [`${prefix}.${k}`, f[k]]));
}

/** The candidates installed in `dir` (not Parley dependencies), each measured in its own data directory. */
async function candidates(dir: string, data: string, log: (l: string) => void): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const Better = loadFrom(dir, 'better-sqlite3');
  if (typeof Better === 'function') {
    // better-sqlite3's default export is its Database class; the adapter uses exec, prepare and close only.
    const db = Reflect.construct(Better, [join(data, 'better.db')]) as Parameters<typeof sqlite>[1];
    const engine = sqlite('SQLite (better-sqlite3 12)', db);
    Object.assign(out, prefixed('better-sqlite3', await measure(engine)));
    await engine.close();
    log('better-sqlite3 measured');
  }
  const Lmdb = loadFrom(dir, 'lmdb');
  const open = typeof Lmdb === 'object' && Lmdb !== null ? Reflect.get(Lmdb, 'open') : undefined;
  if (typeof open === 'function') {
    const engine = lmdb((o) => Reflect.apply(open, Lmdb, [o]) as ReturnType<Parameters<typeof lmdb>[0]>, data);
    Object.assign(out, prefixed('lmdb', await measure(engine)));
    await engine.close();
    log('lmdb measured');
  }
  const Level = loadFrom(dir, 'classic-level');
  const Classic = typeof Level === 'object' && Level !== null ? Reflect.get(Level, 'ClassicLevel') : undefined;
  if (typeof Classic === 'function') {
    const db = Reflect.construct(Classic, [join(data, 'level')]) as Parameters<typeof level>[0];
    await db.open();
    const engine = level(db);
    Object.assign(out, prefixed('classic-level', await measure(engine, (id) => engine.readAllAsync(id))));
    await engine.close();
    log('classic-level measured');
  }
  return out;
}

/** The own log and node:sqlite under Deno, in a child process. */
function underDeno(log: (l: string) => void): Record<string, number> {
  const deno = join(ROOT, 'node_modules/.bin/deno');
  const run = spawnSync(deno, ['run', '-A', join(ROOT, 'bench/storage/deno-main.ts')], { encoding: 'utf8' });
  if (run.status !== 0) {
    log(`deno run failed: ${run.stderr.slice(0, 400)}`);
    return {};
  }
  const parsed: unknown = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
  const out: Record<string, number> = {};
  for (const engine of ['own', 'sqlite'] as const) {
    const figures = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, engine) : undefined;
    for (const k of KEYS) {
      const v = typeof figures === 'object' && figures !== null ? Reflect.get(figures, k) : undefined;
      if (typeof v === 'number') out[`deno-${engine}.${k}`] = v;
    }
  }
  return out;
}

/** Subscribes from scratch and times the replay up to `head_seq`; returns ms and frames. */
function open(base: string, chatId: string): Promise<{ ms: number; frames: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/ws`);
    let started = 0;
    let head = -1;
    let frames = 0;
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (started === 0) return;
      frames++;
      const seq = /"seq":(\d+)/.exec(text)?.[1];
      const announced = /"type":"subscribed".*"head_seq":(\d+)/.exec(text)?.[1];
      if (announced !== undefined) head = Number(announced);
      if (head >= 0 && seq !== undefined && Number(seq) >= head) {
        ws.close();
        resolve({ ms: performance.now() - started, frames });
      }
    });
    ws.once('open', () => {
      started = performance.now();
      ws.send(JSON.stringify({ type: 'subscribe', chat_id: chatId }));
    });
    ws.once('error', reject);
  });
}

/** A relay restarted on a data directory holding a 5,000-message chat: a new device opens it cold, then warm. */
async function endToEnd(data: string): Promise<Record<string, number>> {
  const seedStore = ownLog(data);
  for (let seq = 1; seq <= 5000; seq++) {
    const event = messageEvent('five-thousand', seq);
    seedStore.append('five-thousand', event, JSON.stringify(event));
  }
  await seedStore.commit();
  await seedStore.close();
  const config = { ...DEFAULTS, port: 0, logLevel: 'warn' as const, dataDir: data };
  const logger = createLogger('warn');
  const history = openHistory(config, logger);
  if (typeof history !== 'object') throw new Error(`cannot open ${data}: ${String(history)}`);
  const relay = assembleRelay(config, createAgent(config, logger), { logger, history });
  const server = await serveNode(relay, config);
  try {
    const base = `ws://127.0.0.1:${server.port}`;
    const cold = await open(base, 'five-thousand');
    const warm = await open(base, 'five-thousand');
    return { 'e2e.coldMs': cold.ms, 'e2e.warmMs': warm.ms, 'e2e.frames': cold.frames };
  } finally {
    await server.close();
  }
}

const ENGINES: [string, string][] = [
  ['own', 'own append-only log, Node'],
  ['deno-own', 'own append-only log, Deno'],
  ['deno-sqlite', 'SQLite node:sqlite, Deno'],
  ['better-sqlite3', 'SQLite better-sqlite3 12, Node'],
  ['lmdb', 'LMDB lmdb 3, Node'],
  ['classic-level', 'LevelDB classic-level 3, Node'],
];

export const storage: Benchmark = {
  name: 'storage',
  title: 'Chat history storage',
  async measure(options, log) {
    const data = mkdtempSync(join(tmpdir(), 'parley-storage-'));
    try {
      const own = ownLog(join(data, 'own'));
      const result: Record<string, number> = prefixed('own', await measure(own));
      await own.close();
      log('own log measured');
      Object.assign(result, underDeno(log));
      if (options.storageCandidates) Object.assign(result, await candidates(options.storageCandidates, data, log));
      Object.assign(result, await endToEnd(join(data, 'e2e')));
      return result;
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  },
  rows(r): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const bench = '9. Storage';
    const rows: Row[] = [];
    for (const [key, label] of ENGINES) {
      if (!Number.isFinite(v(`${key}.ackedSerialPerSec`))) continue;
      rows.push({
        bench,
        metric: `${label}: acked appends/s, 1 sender / 50 senders; streamed events/s; read 5,000 messages, first / warm`,
        parley: `${fmt(v(`${key}.ackedSerialPerSec`))} / ${fmt(v(`${key}.ackedConcurrentPerSec`))}; ${fmt(v(`${key}.streamedPerSec`))}; ${fmt(v(`${key}.read5000FirstMs`))} / ${fmt(v(`${key}.read5000Ms`))} ms`,
      });
    }
    rows.push({
      bench,
      metric: 'new device opens a 5,000-message chat after a restart: subscribe to the frame at head_seq',
      parley: `from disk ${fmt(v('e2e.coldMs'))} ms (${fmt(v('e2e.frames'))} frames, ${fmt(v('own.chatBytes') / 1e6, 1)} MB)`,
      baseline: `from memory ${fmt(v('e2e.warmMs'))} ms`,
      ratio: `+${fmt(v('e2e.coldMs') - v('e2e.warmMs'))} ms`,
    });
    return rows;
  },
};
