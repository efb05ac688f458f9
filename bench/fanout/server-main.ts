/** Child process: runs one server under test and its pacer, steered over IPC by the orchestrator. */

import { Pacer } from './pacer.ts';
import type { FromServer, Impl, ToServer } from './messages.ts';
import { startBareWs } from './servers/bare-ws.ts';
import { startParley, type ServerUnderTest } from './servers/parley.ts';
import { startSocketIo } from './servers/socketio.ts';

const [impl, chatsArg, subsArg] = process.argv.slice(2) as [Impl, string, string];
const chats = Number(chatsArg);
const subscribers = Number(subsArg);

function tell(message: FromServer): void {
  process.send?.(message);
}

function start(): Promise<ServerUnderTest> {
  switch (impl) {
    case 'parley':
    case 'parley-single':
      return startParley((count) => tell({ type: 'turns', count }), impl === 'parley');
    case 'ws':
      return startBareWs();
    case 'socketio':
      return startSocketIo();
  }
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
