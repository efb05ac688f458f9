/** The built relay (`build/relay/main.node.js`) as a child process on an ephemeral port, with a private data dir; stopped by its pid. */

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RELAY_MAIN = fileURLToPath(new URL('../../relay/main.node.js', import.meta.url));

export interface RelayProcess {
  /** `http://127.0.0.1:<port>/`. */
  base: string;
  /** Stops the relay and deletes its data dir. */
  stop(): Promise<void>;
}

/** Starts the relay serving `staticDir`; chats are kept on disk as shipped, in a temp dir outside it. */
export async function startRelayProcess(staticDir: string, extraArgs: string[] = []): Promise<RelayProcess> {
  if (!existsSync(RELAY_MAIN)) throw new Error('run `npm run build` first (it needs build/relay/main.node.js)');
  const data = mkdtempSync(join(tmpdir(), 'parley-bench-data-'));
  const args = [RELAY_MAIN, '--port', '0', '--static', staticDir, '--log-level', 'warn', '--data-dir', data];
  const proc = spawn(process.execPath, [...args, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const stop = async () => {
    await new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return resolve();
      proc.once('exit', () => resolve());
      process.kill(proc.pid, 'SIGTERM');
    });
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
    return { base, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
