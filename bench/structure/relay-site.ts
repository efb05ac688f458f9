/**
 * The built relay as a user runs it (`build/relay/main.node.js`, demo agent, default limits) serving a private
 * copy of dist/ with the bench pages under /bench/, so the pages share the app's origin and its IndexedDB.
 * Stopped by its pid.
 */

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGES_OUT } from '../lib/pages.ts';
import { DIST } from '../lib/site.ts';

const RELAY_MAIN = fileURLToPath(new URL('../../relay/main.node.js', import.meta.url));

export interface RelaySite {
  /** `http://127.0.0.1:<port>/`: the app. */
  app: string;
  /** Where the bench pages are. */
  bench: string;
  close(): Promise<void>;
}

export async function startRelaySite(extraArgs: string[] = []): Promise<RelaySite> {
  if (!existsSync(RELAY_MAIN) || !existsSync(join(DIST, 'index.html'))) {
    throw new Error('structure: run `npm run build` first (it needs build/relay/main.node.js and dist/)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-structure-'));
  cpSync(DIST, dir, { recursive: true });
  cpSync(PAGES_OUT, join(dir, 'bench'), { recursive: true });
  // Chats are kept as the shipped relay keeps them, on disk, outside the served directory.
  const data = mkdtempSync(join(tmpdir(), 'parley-bench-structure-data-'));
  const proc = spawn(
    process.execPath,
    [RELAY_MAIN, '--port', '0', '--static', dir, '--log-level', 'warn', '--data-dir', data, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return resolve();
      proc.once('exit', () => resolve());
      process.kill(proc.pid, 'SIGTERM');
    });
  const cleanUp = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  };
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay did not start in 20 s:\n${out}`)), 20_000);
      proc.stdout.on('data', () => {
        const m = /Parley is running: (http:\/\/[^\s/]+)\//.exec(out);
        if (!m?.[1]) return;
        clearTimeout(timer);
        resolve(`${m[1]}/`);
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`relay exited with ${code}:\n${out}`));
      });
    });
    return { app: base, bench: `${base}bench/`, close: cleanUp };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
