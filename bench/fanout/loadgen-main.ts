/**
 * Child process: the load generator. It holds every client connection (chats × subscribers raw `ws`
 * sockets), counts delivered deltas and their latency, and reports delivery totals as flow-control credit.
 * It runs in its own process so the server under test and the clients each get one of the two cores.
 */

import { nowUs } from '../lib/clock.ts';
import { LatencyHistogram } from '../lib/stats.ts';
import { DIALECTS, type Dialect } from './dialects.ts';
import type { FromLoad, LoadPlan, ToLoad } from './messages.ts';
import { RawWebSocket } from './raw-client.ts';

function tell(message: FromLoad): void {
  process.send?.(message);
}

let sockets: { ws: RawWebSocket; chatId: string }[] = [];
let delivered = 0;
let reported = 0;
let measuring = false;
let histogram = new LatencyHistogram();
let windowCount = 0;
let windowFrames = 0;
let windowBytes = 0;
let windowStart = { at: 0, cpu: process.cpuUsage() };
let verified: boolean | undefined;

function open(dialect: Dialect, port: number, chatId: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    let subscribed = false;
    const onFrame = (data: Buffer) => {
      const stamps = dialect.tokens(data);
      if (stamps.length > 0) {
        delivered += stamps.length;
        if (measuring) {
          const now = nowUs();
          for (const stamp of stamps) histogram.record(now - stamp);
          windowCount += stamps.length;
          windowFrames++;
          windowBytes += data.length;
        }
        return;
      }
      if (dialect.control(ws, data, chatId) && !subscribed) {
        subscribed = true;
        resolve(ws);
      }
    };
    const ws: RawWebSocket = new RawWebSocket(
      port,
      dialect.path,
      onFrame,
      () => {
        for (const frame of dialect.opening(chatId)) ws.send(frame);
      },
      reject,
    );
  });
}

async function connect(plan: LoadPlan): Promise<void> {
  const started = performance.now();
  const dialect = DIALECTS[plan.impl];
  const total = plan.chats * plan.subscribers;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      // Subscriber i follows chat i % chats, so every chat's subscribers are spread over the connect order.
      const chatId = `c${i % plan.chats}`;
      sockets.push({ ws: await open(dialect, plan.port, chatId), chatId });
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  if (plan.impl === 'socketio') void verifyWithOfficialClient(plan.port);
  tell({ type: 'connected', connections: sockets.length, ms: performance.now() - started });
}

/** One extra socket.io-client follows chat c0: it must decode the very frames the raw clients count. */
async function verifyWithOfficialClient(port: number): Promise<void> {
  const { io } = await import('socket.io-client');
  const client = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  verified = false;
  client.on('connect', () => client.emit('subscribe', 'c0'));
  client.on('d', (event: { chat_id?: unknown; text?: unknown }) => {
    if (event.chat_id === 'c0' && typeof event.text === 'string' && Number.isFinite(Number(event.text.split(' ')[0]))) {
      verified = true;
      client.close();
    }
  });
}

function startTurns(): void {
  const started = new Set<string>();
  for (const { ws, chatId } of sockets) {
    if (started.has(chatId)) continue;
    started.add(chatId);
    ws.send(JSON.stringify({ type: 'send', chat_id: chatId, client_msg_id: `bench-${chatId}`, text: 'go' }));
  }
}

// Credit for the pacer: the running total, a few times per millisecond budget of the window.
setInterval(() => {
  if (delivered !== reported) {
    reported = delivered;
    tell({ type: 'delivered', total: delivered });
  }
}, 5).unref();

process.on('message', (message: ToLoad) => {
  switch (message.type) {
    case 'connect':
      connect(message.plan).catch((err: unknown) => tell({ type: 'error', message: String(err) }));
      return;
    case 'start-turns':
      return startTurns();
    case 'window-start':
      histogram = new LatencyHistogram();
      windowCount = windowFrames = windowBytes = 0;
      windowStart = { at: performance.now(), cpu: process.cpuUsage() };
      measuring = true;
      return;
    case 'window-end': {
      measuring = false;
      const wallMs = performance.now() - windowStart.at;
      const cpu = process.cpuUsage(windowStart.cpu);
      tell({
        type: 'window',
        delivered: windowCount,
        frames: windowFrames,
        wallMs,
        counts: Array.from(histogram.counts),
        bytes: windowBytes,
        busy: (cpu.user + cpu.system) / 1000 / wallMs,
        ...(verified === undefined ? {} : { verified }),
      });
      return;
    }
    case 'drop':
      for (const { ws } of sockets) ws.terminate();
      sockets = [];
      tell({ type: 'dropped' });
      return;
    case 'close':
      for (const { ws } of sockets) ws.terminate();
      sockets = [];
      process.exit(0);
  }
});
