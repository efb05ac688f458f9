/** Starts a real redis-server on a free loopback port for a test (append-only file on, so a restart keeps data). */

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RedisClientType } from 'redis';

export interface TestRedis {
  url: string;
  port: number;
  /** The running server's pid (undefined while stopped). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `durable: false` runs it in memory only (no append-only file), as the benchmarks compare it with a relay's memory. */
export async function startRedis({ durable = true }: { durable?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  let proc: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        ...(durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ];
      const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      proc = child;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      child.stdout?.on('data', (d) => {
        out += d;
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const child = proc;
      if (!child || child.exitCode !== null || !child.pid) return resolve();
      child.once('exit', () => resolve());
      process.kill(child.pid, 'SIGTERM');
    });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return proc?.exitCode === null ? proc.pid : undefined;
    },
    stop,
    start,
  };
}

/** A plain Redis client for a test to look at (or age) the keys a relay wrote. */
export async function inspectRedis(url: string): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Polls `check` until it holds, for states a test cannot be told about (Redis expiring a key). */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
