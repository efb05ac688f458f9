/** One reconnecting WebSocket to the relay: typed frames in and out, an explicit state, liveness pings. */

import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  type ClientFrame,
  type ProtocolError,
  type ReadyFrame,
  type RelayFrame,
} from '../../shared/index.ts';
// The relay → client parser alone: the client never bundles the parsers of the other three directions.
import { readRelayFrames } from '../../shared/parse/relay-frames.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';

/** What the connection needs of a WebSocket (tests pass a fake relay). */
export interface RelaySocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
}

/** `connected` means the relay's `ready` arrived; `offline` means waiting to retry. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'offline';

export interface ConnectionOptions {
  /** ws: or wss: URL of the relay's client endpoint. */
  url: string;
  token?: string;
  clientId: string;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  /** No pong (or any frame) within this after a ping: the socket is dead; reconnect. */
  pongTimeoutMs?: number;
  socketFactory?: (url: string) => RelaySocket;
  /** Fetches a fresh (single-use) token before every attempt; replaces `token` when given. */
  tokenSource?: () => Promise<string>;
}

export interface ConnectionHandlers {
  onFrame(frame: RelayFrame): void;
  onReady(ready: ReadyFrame): void;
  onState(state: ConnectionState): void;
  /** The relay sent something this client cannot parse (`raw`); the connection stays up. */
  onProtocolError?(error: ProtocolError, raw: string): void;
}

export class RelayConnection {
  state: ConnectionState = 'idle';
  /** Why the last attempt failed, for the status tooltip. */
  lastError = '';
  /** When the next attempt starts (ms since the epoch), while `offline`. */
  retryAt: number | undefined;
  /** The last `ready`; set once this connection has reached the relay, and kept across drops. */
  ready: ReadyFrame | undefined;
  private socket: RelaySocket | undefined;
  private readonly backoff: Backoff;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongDeadline: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private attempts = 0;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    clearTimeout(this.retryTimer);
    this.teardown();
    this.setState('idle');
  }

  /** Sends a frame if the relay is ready; returns false when it could not be sent. */
  send(frame: ClientFrame): boolean {
    if (this.state !== 'connected' || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Skips the wait and tries now (the user pressed "retry", or the browser came back online). */
  retryNow(): void {
    if (this.stopped || this.state === 'connected' || this.state === 'connecting') return;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  /** Drops the socket, if any, and connects again now (the user pressed Reconnect in the connection details). */
  reconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.backoff.reset();
    void this.connect();
  }

  /** The network is back: the last failures said nothing about the relay, so start again from a short delay. */
  private readonly onOnline = () => {
    this.backoff.reset();
    this.retryNow();
  };

  /**
   * The browser says the network is gone. A socket open now is most likely dead but would take a missed
   * ping to notice, so drop it and retry with backoff; a relay on loopback is still reached at once.
   */
  private readonly onOffline = () => {
    if (this.stopped || this.state === 'offline') return;
    this.lastError = 'the browser is offline';
    this.backoff.closed();
    this.teardown();
    this.scheduleRetry();
  };

  private endpoint(token: string | undefined): string {
    const url = new URL(this.options.url);
    url.searchParams.set('client_id', this.options.clientId);
    if (token) url.searchParams.set('token', token);
    return url.href;
  }

  private async connect(): Promise<void> {
    this.teardown();
    this.setState('connecting');
    const attempt = this.attempts;
    let token = this.options.token;
    if (this.options.tokenSource) {
      try {
        token = await this.options.tokenSource();
      } catch (err) {
        if (attempt !== this.attempts || this.stopped) return;
        this.lastError = `could not get a token: ${err instanceof Error ? err.message : String(err)}`;
        this.scheduleRetry();
        return;
      }
      // Stopped, or another attempt began, while the token was on its way.
      if (attempt !== this.attempts || this.stopped) return;
    }
    let socket: RelaySocket;
    try {
      const url = this.endpoint(token);
      socket = this.options.socketFactory?.(url) ?? new WebSocket(url);
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.backoff.opened();
    socket.onmessage = (e: MessageEvent) => {
      if (typeof e.data === 'string') this.onMessage(e.data);
    };
    socket.onclose = (e: CloseEvent) => {
      if (socket !== this.socket) return;
      this.lastError = e.reason || (this.state === 'connected' ? 'connection lost' : 'relay unreachable');
      this.backoff.closed();
      this.teardown();
      this.scheduleRetry();
    };
  }

  /** One frame off the socket; an `events` frame is unpacked here, so handlers see each chat event on its own. */
  private onMessage(raw: string): void {
    this.armPong();
    const parsed = readRelayFrames(raw);
    if (!parsed.ok) {
      this.handlers.onProtocolError?.(parsed.error, raw);
      return;
    }
    for (const frame of parsed.value) this.onFrame(frame);
  }

  private onFrame(frame: RelayFrame): void {
    if (frame.type === 'ready') {
      if (frame.protocol !== PROTOCOL_VERSION) {
        this.lastError = `relay speaks protocol ${frame.protocol}, this app speaks ${PROTOCOL_VERSION}`;
        this.socket?.close(1000);
        return;
      }
      this.ready = frame;
      this.lastError = '';
      this.setState('connected');
      this.startPings();
      this.handlers.onReady(frame);
      return;
    }
    this.handlers.onFrame(frame);
  }

  private startPings(): void {
    const every = this.options.pingIntervalMs ?? 25_000;
    this.pingTimer = setInterval(() => {
      if (this.send({ type: 'ping', nonce: String(Date.now()) })) this.armPong();
    }, every);
  }

  /** Any frame proves liveness; a silent socket after a ping is closed and replaced. */
  private armPong(): void {
    clearTimeout(this.pongDeadline);
    if (this.pingTimer === undefined) return;
    this.pongDeadline = setTimeout(
      () => {
        this.lastError = 'relay stopped answering';
        this.socket?.close(CLOSE_CODES.pingTimeout);
        this.backoff.closed();
        this.teardown();
        this.scheduleRetry();
      },
      (this.options.pingIntervalMs ?? 25_000) + (this.options.pongTimeoutMs ?? 10_000),
    );
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const delay = this.backoff.next();
    this.retryAt = Date.now() + delay;
    this.setState('offline');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private teardown(): void {
    // An attempt still waiting for its token is abandoned too.
    this.attempts++;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongDeadline);
    this.pingTimer = undefined;
    this.ready = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000);
    }
  }

  private setState(state: ConnectionState): void {
    if (state !== 'offline') this.retryAt = undefined;
    if (state === this.state) return;
    this.state = state;
    this.handlers.onState(state);
  }
}
