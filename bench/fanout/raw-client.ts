/**
 * A minimal WebSocket client on `net`: handshake, unmasked server frames, masked client frames, ping → pong.
 * The load generator uses it instead of `ws` so that one process can hold a thousand sockets and still read
 * faster than any server under test writes; then the server, not the clients, sets the throughput.
 */

import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const OP_TEXT = 1;
const OP_CLOSE = 8;
const OP_PING = 9;
const OP_PONG = 10;

export class RawWebSocket {
  private readonly socket: Socket;
  private pending: Buffer | undefined;
  private upgraded = false;

  constructor(
    port: number,
    path: string,
    private readonly onFrame: (payload: Buffer) => void,
    onOpen: () => void,
    onError: (err: Error) => void,
  ) {
    this.socket = connect({ port, host: '127.0.0.1', noDelay: true });
    this.socket.on('error', onError);
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('data', (chunk: Buffer) => {
      let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      this.pending = undefined;
      if (!this.upgraded) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) {
          this.pending = data;
          return;
        }
        const status = data.toString('latin1', 0, 12);
        if (status !== 'HTTP/1.1 101')
          return onError(new Error(`handshake refused: ${data.toString('latin1', 0, end)}`));
        this.upgraded = true;
        data = data.subarray(end + 4);
        onOpen();
      }
      this.parse(data);
    });
  }

  send(text: string): void {
    const payload = Buffer.from(text);
    const len = payload.length;
    const header = len < 126 ? 2 : len < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(header + 4 + len);
    frame[0] = 0x80 | OP_TEXT;
    if (len < 126) frame[1] = 0x80 | len;
    else if (len < 65_536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(len), 2);
    }
    this.writeMasked(frame, header, payload);
  }

  terminate(): void {
    this.socket.destroy();
  }

  private writeMasked(frame: Buffer, header: number, payload: Buffer): void {
    const mask = randomBytes(4);
    mask.copy(frame, header);
    for (let i = 0; i < payload.length; i++) frame[header + 4 + i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
    this.socket.write(frame);
  }

  private control(op: number, payload: Buffer): void {
    if (op === OP_PING) {
      const frame = Buffer.allocUnsafe(2 + 4 + payload.length);
      frame[0] = 0x80 | OP_PONG;
      frame[1] = 0x80 | payload.length;
      this.writeMasked(frame, 2, payload);
    } else if (op === OP_CLOSE) this.socket.end();
  }

  /** Splits `data` into frames; an incomplete frame waits for the next chunk. */
  private parse(data: Buffer): void {
    let at = 0;
    while (data.length - at >= 2) {
      const op = (data[at] ?? 0) & 0x0f;
      let len = (data[at + 1] ?? 0) & 0x7f;
      let head = 2;
      if (len === 126) {
        if (data.length - at < 4) break;
        len = data.readUInt16BE(at + 2);
        head = 4;
      } else if (len === 127) {
        if (data.length - at < 10) break;
        len = Number(data.readBigUInt64BE(at + 2));
        head = 10;
      }
      if (data.length - at < head + len) break;
      const payload = data.subarray(at + head, at + head + len);
      at += head + len;
      // Servers under test never fragment these small frames, so every data frame is a whole message.
      if (op >= OP_CLOSE) this.control(op, payload);
      else this.onFrame(payload);
    }
    if (at < data.length) this.pending = data.subarray(at);
  }
}
