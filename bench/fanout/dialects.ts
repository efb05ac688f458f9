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
  /** The µs stamps of the tokens a frame carries (empty for anything but token frames). */
  tokens(frame: Buffer): number[];
}

/** A dialect whose token frames each carry one token and start with `prefix`. */
function onePerFrame(prefix: Buffer): (frame: Buffer) => number[] {
  return (frame) =>
    frame.length >= prefix.length && frame.compare(prefix, 0, prefix.length, 0, prefix.length) === 0
      ? [readStamp(frame)]
      : [];
}

const SUBSCRIBED = Buffer.from('{"type":"subscribed"');

const DELTA = Buffer.from('{"type":"delta"');
const EVENTS = Buffer.from('{"type":"events"');
const oneDelta = onePerFrame(DELTA);

const parley: Dialect = {
  path: '/ws',
  opening: (chatId) => [JSON.stringify({ type: 'subscribe', chat_id: chatId })],
  control: (_ws, frame) => frame.subarray(0, SUBSCRIBED.length).equals(SUBSCRIBED),
  tokens: (frame) => (frame.subarray(0, EVENTS.length).equals(EVENTS) ? eventsStamps(frame) : oneDelta(frame)),
};

const bareWs: Dialect = { ...parley, path: '/', tokens: oneDelta };

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
  tokens: onePerFrame(Buffer.from('42["d"')),
};

export const DIALECTS: Record<Impl, Dialect> = {
  parley,
  'parley-single': parley,
  'parley-deno': parley,
  'parley-redis': parley,
  'parley-disk': parley,
  ws: bareWs,
  socketio: socketIo,
};

/** The stamps of the deltas in a Parley `events` frame: a merged run is split by its `parts`, as clients do. */
function eventsStamps(frame: Buffer): number[] {
  const data: unknown = JSON.parse(frame.toString());
  const entries = typeof data === 'object' && data !== null && 'events' in data ? data.events : undefined;
  const stamps: number[] = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    if (typeof entry !== 'object' || entry === null || !('type' in entry) || entry.type !== 'delta') continue;
    const text = 'text' in entry && typeof entry.text === 'string' ? entry.text : '';
    const parts: unknown[] = 'parts' in entry && Array.isArray(entry.parts) ? entry.parts : [text.length];
    let at = 0;
    for (const part of parts) {
      stamps.push(Number.parseInt(text.slice(at, at + 16), 10));
      at += Number(part);
    }
  }
  return stamps;
}

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
