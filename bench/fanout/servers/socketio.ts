/** The server under test (c): socket.io with one room per chat, as many would build it. */

import { createServer } from 'node:http';
import { Server } from 'socket.io';
import type { ServerUnderTest } from './parley.ts';

export async function startSocketIo(): Promise<ServerUnderTest> {
  const http = createServer();
  // WebSocket only: the load generator speaks engine.io over ws directly, as the browser client does after its upgrade.
  const io = new Server(http, { transports: ['websocket'], serveClient: false });
  io.on('connection', (socket) => {
    socket.on('subscribe', (chatId: unknown) => {
      if (typeof chatId !== 'string') return;
      void socket.join(chatId);
      socket.emit('subscribed', chatId);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const seqs: number[] = [];
  const rooms: string[] = [];
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    emit: (chat, text) => {
      const seq = (seqs[chat] = (seqs[chat] ?? 0) + 1);
      const room = (rooms[chat] ??= `c${chat}`);
      io.to(room).emit('d', { chat_id: room, seq, text });
    },
    close: async () => {
      io.disconnectSockets(true);
      await io.close();
    },
  };
}
