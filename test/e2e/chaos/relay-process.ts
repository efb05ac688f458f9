/** The relay for the chaos scenarios: a real `node build/relay/main.node.js` child that can be killed and restarted on its port. */

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../harness.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
/** Small, so scenarios stay quick, yet a `/long` reply streams for long enough to be interrupted. */
export const DEMO_DELAY_MS = 3;

export class RelayProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
    private readonly site: string,
  ) {}

  /** Starts the built relay serving the built client (`dist/`, or a copy of it) with the demo agent. */
  static async start(extraArgs: string[] = [], site = join(ROOT, 'dist')): Promise<RelayProcess> {
    if (!existsSync(join(ROOT, 'build/relay/main.node.js')) || !existsSync(join(ROOT, 'dist/index.html'))) {
      throw new Error('Run `npm run build` first: the chaos tests need dist/ and build/relay/main.node.js.');
    }
    const relay = new RelayProcess(await freePort(), extraArgs, site);
    await relay.launch();
    return relay;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  get wsBase(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Kills the process at once (SIGKILL): no goodbye frames, in-memory chats gone. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /** Starts it again on the same port: a new process, so a new epoch and empty chats. */
  restart(): Promise<void> {
    return this.launch();
  }

  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  private end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    return new Promise((done) => {
      if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      process.kill(child.pid, signal);
    });
  }

  private async launch(): Promise<void> {
    const args = [
      join(ROOT, 'build/relay/main.node.js'),
      '--port',
      String(this.port),
      '--static',
      this.site,
      '--demo-delay-ms',
      String(DEMO_DELAY_MS),
      '--log-level',
      'warn',
      // The scenarios find chats by their first message's title: the demo agent does not rename them.
      '--title-model',
      'off',
      // These scenarios are the relay without storage (its chats die with it); the kept history has its own.
      ...(this.extraArgs.includes('--data-dir') ? [] : ['--data-dir', 'none']),
      ...this.extraArgs,
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let errors = '';
    child.stderr?.on('data', (d: Buffer) => {
      errors += d.toString();
      process.stderr.write(d);
    });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${this.base}healthz`)).ok) return;
      } catch {
        if (i > 100 || child.exitCode !== null) {
          throw new Error(`relay did not start on port ${this.port} (exit ${child.exitCode}): ${errors.slice(-500)}`);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
