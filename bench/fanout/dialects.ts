/** How each server under test is spoken to over a raw `ws` socket, so all three share one load generator. */

import type { Impl } from './messages.ts';

/** What a dialect may do with its socket. */
export interface Sender {
  send(text: string): void;
}

export interface Dialect {
  /** Path of the WebSocket endpoint. */
  readonly path: string;
  /** Frames to send once the socket is open. */
  opening(chatId: string): string[];
  /** Answers a control frame (handshake, heartbeat); returns true once the socket is subscribed. */
  control(ws: Sender, frame: Buffer, chatId: string): boolean;
  /** The first bytes of a delta frame. */
  readonly eventPrefix: Buffer;
}

const SUBSCRIBED = Buffer.from('{"type":"subscribed"');

const parley: Dialect = {
  path: '/ws',
  opening: (chatId) => [JSON.stringify({ type: 'subscribe', chat_id: chatId })],
  control: (_ws, frame) => frame.subarray(0, SUBSCRIBED.length).equals(SUBSCRIBED),
  eventPrefix: Buffer.from('{"type":"delta"'),
};

const bareWs: Dialect = { ...parley, path: '/' };

/** engine.io v4 + socket.io v5 framing: `0` open, `40` namespace connect, `42[...]` event, `2`/`3` ping/pong. */
const socketIo: Dialect = {
  path: '/socket.io/?EIO=4&transport=websocket',
  opening: () => [],
  control: (ws, frame, chatId) => {
    const head = frame.toString('latin1', 0, Math.min(frame.length, 16));
    if (head === '2') ws.send('3');
    else if (head.startsWith('0{')) ws.send('40');
    else if (head.startsWith('40')) ws.send(`42${JSON.stringify(['subscribe', chatId])}`);
    else if (head.startsWith('42["subscribed"')) return true;
    return false;
  },
  eventPrefix: Buffer.from('42["d"'),
};

export const DIALECTS: Record<Impl, Dialect> = { parley, ws: bareWs, socketio: socketIo };

const TEXT = Buffer.from('"text":"');

/** The µs stamp at the start of the frame's delta text, read from the bytes without parsing the JSON. */
export function readStamp(frame: Buffer): number {
  let i = frame.indexOf(TEXT);
  if (i < 0) return Number.NaN;
  i += TEXT.length;
  let value = 0;
  for (; i < frame.length; i++) {
    const c = frame[i] ?? 0;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  return value;
}
