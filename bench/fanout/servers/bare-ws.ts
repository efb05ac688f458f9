/** The server under test (b), the floor: bare `ws` doing the same chat routing and nothing else. */

import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerUnderTest } from './parley.ts';

export async function startBareWs(): Promise<ServerUnderTest> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const rooms: Set<WebSocket>[] = [];
  const seqs: number[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type?: unknown; chat_id?: unknown };
      if (frame.type !== 'subscribe' || typeof frame.chat_id !== 'string') return;
      const index = Number(frame.chat_id.slice(1));
      (rooms[index] ??= new Set()).add(ws);
      ws.once('close', () => rooms[index]?.delete(ws));
      ws.send(JSON.stringify({ type: 'subscribed', chat_id: frame.chat_id }));
    });
  });
  const address = wss.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    emit: (chat, text) => {
      const seq = (seqs[chat] = (seqs[chat] ?? 0) + 1);
      const data = JSON.stringify({ type: 'delta', chat_id: `c${chat}`, seq, text });
      for (const ws of rooms[chat] ?? []) ws.send(data);
    },
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
