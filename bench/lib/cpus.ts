/**
 * Pinning the fan-out's server under test and its load generator to different cores (`taskset`), so neither
 * takes the other's core, and the load average beside every figure (the rest of the machine is not pinned).
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/** The core the server under test (and its Redis) runs on, and the load generator's. */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;

let taskset: boolean | undefined;

/** True when `taskset` exists and there are two cores to give out. */
export function canPin(): boolean {
  taskset ??= availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return taskset;
}

/** `command` run on `cpu` only (through `taskset -c`), or as it is when the machine cannot pin. */
export function pinnedCommand(cpu: number | undefined, command: readonly [string, ...string[]]): [string, ...string[]] {
  return cpu !== undefined && canPin() ? ['taskset', '-c', String(cpu), ...command] : [...command];
}

/** The 1-minute load average now. */
export function load1(): number {
  return loadavg()[0] ?? 0;
}

/** Moves a running process, every thread of it, onto `cpu` (for processes the bench does not start itself, like Redis). */
export function pinProcess(pid: number, cpu: number): void {
  if (canPin()) spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** `getconf CLK_TCK` on Linux, which /proc counts in. */
const CLOCK_TICKS = 100;
