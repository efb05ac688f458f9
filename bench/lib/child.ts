/** A forked child process with typed IPC: send, wait for a message of a given type, and stop it by its pid. */

import { fork, type ChildProcess } from 'node:child_process';
import { pinnedCommand } from './cpus.ts';

export interface ChildOptions {
  /** The runtime and its arguments before the script (default: this Node with `execArgv`). */
  runtime?: [string, ...string[]];
  /** The one CPU the child may run on (`taskset -c`), when the machine can pin. */
  cpu?: number;
}

export class Child<In extends { type: string }, Out extends { type: string }> {
  private readonly proc: ChildProcess;
  private readonly waiters: { type: string; resolve: (m: Out) => void }[] = [];
  private readonly listeners = new Map<string, (m: Out) => void>();
  private exited: Error | undefined;

  constructor(script: string, args: string[], execArgv: string[] = [], options: ChildOptions = {}) {
    const [execPath, ...runtimeArgs] = pinnedCommand(options.cpu, options.runtime ?? [process.execPath, ...execArgv]);
    this.proc = fork(script, args, { execPath, execArgv: runtimeArgs, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (raw) => {
      const message = raw as Out;
      this.listeners.get(message.type)?.(message);
      const i = this.waiters.findIndex((w) => w.type === message.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]?.resolve(message);
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = new Error(`${script} exited (${code ?? signal})`);
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  send(message: In): void {
    if (this.proc.connected) this.proc.send(message);
  }

  /** Calls `fn` for every message of this type (replacing an earlier listener). */
  on<T extends Out['type']>(type: T, fn: (m: Extract<Out, { type: T }>) => void): void {
    this.listeners.set(type, fn as (m: Out) => void);
  }

  next<T extends Out['type']>(type: T, timeoutMs = 60_000): Promise<Extract<Out, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      const timer = setTimeout(
        () => reject(new Error(`no ${type} from child ${this.pid} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onExit = () => reject(this.exited ?? new Error('child exited'));
      this.proc.once('exit', onExit);
      this.waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          this.proc.off('exit', onExit);
          resolve(m as Extract<Out, { type: T }>);
        },
      });
    });
  }

  /** Stops the child by its pid and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}
