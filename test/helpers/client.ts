/** A `ws` test client that records every frame from the relay and waits for the ones a test expects. */

import WebSocket from 'ws';
import { isChatEvent, readRelayFrames, type ChatEvent, type ClientFrame, type RelayFrame } from '../../shared/index.ts';

export interface ConnectOptions {
  token?: string;
  clientId?: string;
  origin?: string;
  protocols?: readonly string[];
  path?: string;
}

export class TestClient {
  /** What the relay sent, each chat event on its own (an `events` frame unpacked, as the app's connection does). */
  readonly frames: RelayFrame[] = [];
  /** The frames as they arrived on the socket. */
  readonly wire: string[] = [];
  /** Frames that failed to parse: the relay must never send one. */
  readonly invalid: string[] = [];
  closeCode: number | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.wire.push(text);
      const parsed = readRelayFrames(text);
      if (parsed.ok) this.frames.push(...parsed.value);
      else this.invalid.push(`${parsed.error.code}: ${parsed.error.message} in ${text.slice(0, 200)}`);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  static connect(base: string, opts: ConnectOptions = {}): Promise<TestClient> {
    const params = new URLSearchParams();
    if (opts.token) params.set('token', opts.token);
    if (opts.clientId) params.set('client_id', opts.clientId);
    const query = params.size ? `?${params}` : '';
    const ws = new WebSocket(`${base}${opts.path ?? '/ws'}${query}`, [...(opts.protocols ?? [])], {
      ...(opts.origin ? { origin: opts.origin } : {}),
    });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new HandshakeError(res.statusCode ?? 0)));
      ws.once('error', reject);
    });
  }

  send(frame: ClientFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  raw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Waits until `pick` finds something in the frames received so far. */
  async waitFor<T>(pick: (frames: RelayFrame[]) => T | undefined, what = 'frame', timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = pick(this.frames);
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3))}`);
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  waitType<K extends RelayFrame['type']>(
    type: K,
    pred: (f: Extract<RelayFrame, { type: K }>) => boolean = () => true,
    from = 0,
    timeoutMs?: number,
  ) {
    return this.waitFor(
      (fs) =>
        fs
          .slice(from)
          .find(
            (f): f is Extract<RelayFrame, { type: K }> =>
              f.type === type && pred(f as Extract<RelayFrame, { type: K }>),
          ),
      type,
      timeoutMs,
    );
  }

  waitClose(timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closeCode !== undefined) return resolve(this.closeCode);
      const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.ws.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** Chat events of one chat, in arrival order. */
  events(chatId: string): ChatEvent[] {
    return this.frames.filter((f): f is ChatEvent => isChatEvent(f) && f.chat_id === chatId);
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export class HandshakeError extends Error {
  constructor(readonly status: number) {
    super(`handshake refused with HTTP ${status}`);
  }
}

/** Subscribes, sends one message and waits for the turn it starts to end; returns that turn_end. */
/** Sends one message and waits for its reply to end; `timeoutMs` is per step (the reply's end may take long). */
export async function converse(
  client: TestClient,
  chatId: string,
  text: string,
  clientMsgId: string,
  timeoutMs?: number,
) {
  const from = client.frames.length;
  client.send({ type: 'send', chat_id: chatId, client_msg_id: clientMsgId, text });
  const ack = await client.waitType('ack', (a) => a.client_msg_id === clientMsgId, from, timeoutMs);
  const start = await client.waitType('turn_start', (t) => t.reply_to === ack.message_id, from, timeoutMs);
  return client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from, timeoutMs);
}

/** Connects a client to `base` and subscribes it to one chat; returns the client and its `subscribed`. */
export async function follow(base: string, chatId: string, resume: { epoch?: string; after_seq?: number } = {}) {
  const client = await TestClient.connect(base);
  client.send({ type: 'subscribe', chat_id: chatId, ...resume });
  const sub = await client.waitType('subscribed', (s) => s.chat_id === chatId);
  return { client, sub };
}
