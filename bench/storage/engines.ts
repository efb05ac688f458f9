/**
 * The storage engines the storage benchmark compares, behind one small interface: Parley's own append-only log
 * (relay/storage, what ships), and SQLite, LMDB and LevelDB adapters with the same durability, loaded from a
 * directory where they are installed (they are not Parley dependencies).
 */

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseRelayFrame } from '../../shared/index.ts';
import { createLogger } from '../../relay/core/logger.ts';
import type { ChatHistory, HistoryStore } from '../../relay/core/history-store.ts';
import { KEEP_ALL } from '../../relay/core/replay-window.ts';
import { openFileStore } from '../../relay/storage/data-dir.ts';
import type { ChatEvent } from '../../shared/index.ts';

export interface Engine {
  name: string;
  /** Writes one event of a chat; it must survive the process once this returns (the OS holds it). */
  append(chatId: string, event: ChatEvent, json: string): void;
  /** Resolves once everything appended is on stable storage (fsync); concurrent callers may share one. */
  commit(): Promise<void>;
  /** Every event of a chat, parsed and checked as the relay would before replaying it. */
  readAll(chatId: string): number;
  close(): Promise<void>;
}

/** Checks a stored envelope the way the relay's own loader does, so every engine pays for the same parse. */
function check(json: string): void {
  if (!parseRelayFrame(json).ok) throw new Error('stored event did not parse');
}

export function ownLog(dir: string): Engine {
  const opened = openFileStore({
    dir,
    retention: KEEP_ALL,
    acks: { max: 10_000, maxAgeMs: 3_600_000 },
    logger: createLogger('warn'),
  });
  if (typeof opened === 'string') throw new Error(opened);
  const store: HistoryStore = opened;
  const chats = new Map<string, ChatHistory>();
  const chat = (id: string) => {
    let h = chats.get(id);
    if (!h) {
      h = store.open(id, Date.now()).history;
      chats.set(id, h);
    }
    return h;
  };
  return {
    name: 'own append-only log (relay/storage)',
    append: (id, event, json) => chat(id).append({ event, at: Date.now(), bytes: json.length }),
    commit: () => store.sync(),
    readAll: (id) => chat(id).read(0, Number.MAX_SAFE_INTEGER, Date.now()).events.length,
    close: () => store.close(),
  };
}

/** Batches appends made in one tick into one durable write, as the relay's group commit does. */
function groupCommit(flush: (batch: [string, ChatEvent, string][]) => Promise<void> | void) {
  let pending: [string, ChatEvent, string][] = [];
  let next: Promise<void> | undefined;
  return {
    add: (row: [string, ChatEvent, string]) => pending.push(row),
    commit(): Promise<void> {
      next ??= Promise.resolve().then(async () => {
        next = undefined;
        const batch = pending;
        pending = [];
        await flush(batch);
      });
      return next;
    },
  };
}

interface SqlStatement {
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
}
interface SqlDb {
  exec(sql: string): unknown;
  prepare(sql: string): SqlStatement;
  close(): unknown;
}

/** SQLite in WAL mode with synchronous=FULL (every commit fsyncs), one transaction per group commit. */
export function sqlite(name: string, db: SqlDb): Engine {
  db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;');
  db.exec(
    'CREATE TABLE IF NOT EXISTS events (chat TEXT, seq INTEGER, at INTEGER, json TEXT, PRIMARY KEY (chat, seq)) WITHOUT ROWID',
  );
  const insert = db.prepare('INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?)');
  const select = db.prepare('SELECT json FROM events WHERE chat = ? ORDER BY seq');
  // A row written outside a transaction is committed (and fsynced) at once; batching needs BEGIN/COMMIT.
  let open = false;
  const group = groupCommit(() => {
    if (open) db.exec('COMMIT');
    open = false;
  });
  return {
    name,
    append(chatId, event, json) {
      if (!open) db.exec('BEGIN');
      open = true;
      insert.run(chatId, event.seq, Date.now(), json);
      group.add([chatId, event, json]);
    },
    commit: () => group.commit(),
    readAll(chatId) {
      const rows = select.all(chatId);
      for (const row of rows) {
        const json = typeof row === 'object' && row !== null ? Reflect.get(row, 'json') : undefined;
        if (typeof json !== 'string') throw new Error('bad row');
        check(json);
      }
      return rows.length;
    },
    async close() {
      db.close();
    },
  };
}

/** Loads a package from `dir`/node_modules; undefined when it is not installed there or does not load. */
export function loadFrom(dir: string, name: string): unknown {
  try {
    return createRequire(join(dir, 'package.json'))(name);
  } catch {
    return undefined;
  }
}

interface LmdbDb {
  put(key: unknown, value: string): Promise<unknown>;
  getRange(range: { start: unknown; end: unknown }): Iterable<{ value: unknown }>;
  close(): Promise<void>;
}

/** LMDB: `put` resolves once its batched transaction is committed and synced (lmdb-js's default). */
export function lmdb(open: (options: { path: string }) => LmdbDb, dir: string): Engine {
  const db = open({ path: join(dir, 'lmdb') });
  let last: Promise<unknown> = Promise.resolve();
  return {
    name: 'LMDB (lmdb)',
    append(chatId, event, json) {
      last = db.put([chatId, event.seq], json);
    },
    commit: async () => {
      await last;
    },
    readAll(chatId) {
      let n = 0;
      for (const { value } of db.getRange({ start: [chatId, 0], end: [chatId, Number.MAX_SAFE_INTEGER] })) {
        if (typeof value !== 'string') throw new Error('bad value');
        check(value);
        n++;
      }
      return n;
    },
    close: () => db.close(),
  };
}

interface LevelDb {
  open(): Promise<void>;
  batch(ops: { type: 'put'; key: string; value: string }[], options: { sync: boolean }): Promise<void>;
  values(range: { gte: string; lt: string }): { all(): Promise<unknown[]> };
  close(): Promise<void>;
}

const levelKey = (chatId: string, seq: number) => `${chatId}\u0000${String(seq).padStart(12, '0')}`;

/** LevelDB: one synced batch per group commit. Its reads are async only, so `readAll` is measured by `readAllAsync`. */
export function level(db: LevelDb): Engine & { readAllAsync(chatId: string): Promise<number> } {
  const group = groupCommit((batch) =>
    db.batch(
      batch.map(([chatId, event, json]) => ({ type: 'put' as const, key: levelKey(chatId, event.seq), value: json })),
      { sync: true },
    ),
  );
  return {
    name: 'LevelDB (classic-level)',
    append: (chatId, event, json) => group.add([chatId, event, json]),
    commit: () => group.commit(),
    readAll: () => {
      throw new Error('LevelDB reads are asynchronous');
    },
    async readAllAsync(chatId) {
      const values = await db.values({ gte: levelKey(chatId, 0), lt: levelKey(chatId, 1e12) }).all();
      for (const v of values) {
        if (typeof v !== 'string') throw new Error('bad value');
        check(v);
      }
      return values.length;
    },
    close: () => db.close(),
  };
}
