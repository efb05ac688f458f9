/**
 * Child process: runs one server under test and its pacer, steered over IPC by the orchestrator. Node runs the
 * build of it; Deno (`parley-deno`) runs this source file, with the same pacer and relay code.
 */

import process from 'node:process';
import { syncClock } from '../lib/clock.ts';
import { Pacer } from './pacer.ts';
import type { FromServer, Impl, ToServer } from './messages.ts';
import type { ServerUnderTest } from './servers/parley.ts';

const [impl, chatsArg, subsArg, redisUrl] = process.argv.slice(2) as [Impl, string, string, string | undefined];
const chats = Number(chatsArg);
const subscribers = Number(subsArg);

function tell(message: FromServer): void {
  process.send?.(message);
}

async function start(): Promise<ServerUnderTest> {
  const onTurns = (count: number) => tell({ type: 'turns', count });
  // Each set-up loads only its own server's modules (Deno never loads socket.io).
  switch (impl) {
    case 'parley':
    case 'parley-deno':
      return (await import('./servers/parley.ts')).startParley(onTurns, { coalesced: true });
    case 'parley-single':
      return (await import('./servers/parley.ts')).startParley(onTurns, { coalesced: false });
    case 'parley-redis':
      if (!redisUrl) throw new Error('parley-redis needs a Redis URL');
      return (await import('./servers/parley.ts')).startParley(onTurns, { coalesced: true, redisUrl });
    case 'parley-disk':
      return (await import('./servers/parley.ts')).startParley(onTurns, { coalesced: true, onDisk: true });
    case 'ws':
      return (await import('./servers/bare-ws.ts')).startBareWs();
    case 'socketio':
      return (await import('./servers/socketio.ts')).startSocketIo();
  }
}

if ('Deno' in globalThis) {
  // The pacer stamps tokens with `nowUs`, which the load generator (Node) reads on CLOCK_MONOTONIC.
  let answer: (us: number) => void = () => undefined;
  process.on('message', (m: ToServer) => m.type === 'clock' && answer(m.us));
  await syncClock(() => new Promise<number>((resolve) => ((answer = resolve), tell({ type: 'clock' }))));
}
const server = await start();
const pacer = new Pacer(chats, subscribers, server.emit);
let mark = { cpu: process.cpuUsage(), at: performance.now(), emitted: 0 };

process.on('message', (message: ToServer) => {
  switch (message.type) {
    case 'emit-max':
      return pacer.startMax(message.window);
    case 'emit-rate':
      return pacer.startRate(message.perSecond);
    case 'credit':
      return pacer.onCredit(message.delivered);
    case 'stop-emit':
      return pacer.stop();
    case 'cpu-mark': {
      const cpu = process.cpuUsage(mark.cpu);
      const wallMs = performance.now() - mark.at;
      tell({
        type: 'cpu',
        busy: (cpu.user + cpu.system) / 1000 / wallMs,
        wallMs,
        emitted: pacer.emitted - mark.emitted,
      });
      mark = { cpu: process.cpuUsage(), at: performance.now(), emitted: pacer.emitted };
      return;
    }
    case 'clock':
      return;
    case 'memory': {
      // --expose-gc: several passes, so weak and finalizable garbage is gone too.
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 4; i++) gc?.();
      const m = process.memoryUsage();
      tell({ type: 'memory', heapUsed: m.heapUsed, rss: m.rss, external: m.external + m.arrayBuffers });
      return;
    }
  }
});
// A normal exit, so flags like --cpu-prof get to write their output.
const shutdown = () => {
  pacer.stop();
  void server.close().finally(() => process.exit(0));
};
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
tell({ type: 'listening', port: server.port });
