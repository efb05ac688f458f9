/** Runs a relay entry point as a child process (Node build or Deno), waits for its URL, and stops it by pid. */

import { spawn, type ChildProcess } from 'node:child_process';
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
      `--allow-read=${ROOT}`,
      '--allow-env=PARLEY_*,REDIS_*',
      `${ROOT}relay/main.deno.ts`,
      ...args,
    ],
  ];
}

/** Runs a command to completion, for start-up failures and --help. */
export function runToEnd(
  cmd: [string, string[]],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const proc = spawn(cmd[0], cmd[1], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('close', (code) => resolve({ code, out }));
  });
}

export function startRelayProcess(
  cmd: [string, string[]],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RelayProcess> {
  const proc = spawn(cmd[0], cmd[1], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
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
