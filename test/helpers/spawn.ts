/** Runs a relay entry point as a child process (Node build or Deno), waits for its URL, and stops it by pid. */

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DENO = `${ROOT}node_modules/.bin/deno`;

export interface RelayProcess {
  url: string;
  wsBase: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

export function nodeRelayCommand(args: string[]): [string, string[]] {
  return [process.execPath, [`${ROOT}build/relay/main.node.js`, ...args]];
}

export function denoRelayCommand(args: string[]): [string, string[]] {
  return [
    DENO,
    [
      'run',
      '--allow-net=127.0.0.1',
      `--allow-read=${ROOT},${tmpdir()}`,
      `--allow-write=${tmpdir()}`,
      '--allow-env=PARLEY_*,REDIS_*',
      `${ROOT}relay/main.deno.ts`,
      ...args,
    ],
  ];
}

/** Both runtimes a relay runs on, for `describe.each`: the built Node relay and `deno run` on the sources. */
export const RELAY_RUNTIMES = [
  ['node', nodeRelayCommand],
  ['deno', denoRelayCommand],
] as const;

/**
 * A fresh data directory for one relay process unless the test names one (`PARLEY_DATA_DIR`), so no test
 * writes into the repository or sees another's chats; removed with the process.
 */
function dataDir(env: Record<string, string>): { env: Record<string, string>; cleanup: () => void } {
  if (env.PARLEY_DATA_DIR !== undefined) return { env, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'parley-data-'));
  return { env: { ...env, PARLEY_DATA_DIR: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command to completion, for start-up failures and --help. */
export function runToEnd(
  cmd: [string, string[]],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const data = dataDir(env);
  return new Promise((resolve) => {
    const proc = spawn(cmd[0], cmd[1], { cwd: ROOT, env: { ...process.env, ...data.env } });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('close', (code) => {
      data.cleanup();
      resolve({ code, out });
    });
  });
}

export function startRelayProcess(
  cmd: [string, string[]],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RelayProcess> {
  const data = dataDir(env);
  const proc = spawn(cmd[0], cmd[1], { cwd: ROOT, env: { ...process.env, ...data.env } });
  proc.once('exit', data.cleanup);
  let out = '';
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code) => resolve(code));
      if (proc.pid) process.kill(proc.pid, 'SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`relay did not start in time:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /Parley is running[^:]*: (http:\/\/[^\s/]+)\//.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      const url = m[1];
      resolve({ url, wsBase: url.replace(/^http/, 'ws'), proc, output: () => out, stop });
    };
    proc.stdout?.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${out}`));
    });
  });
}
