/** One reconnecting WebSocket to the relay: typed frames in and out, an explicit state, liveness pings. */

import {
  PROTOCOL_VERSION,
  parseRelayFrame,
  type ClientFrame,
  type ProtocolError,
  type ReadyFrame,
  type RelayFrame,
} from '../../shared/index.ts';
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
}

export interface ConnectionHandlers {
  onFrame(frame: RelayFrame): void;
  onReady(ready: ReadyFrame): void;
  onState(state: ConnectionState): void;
  /** The relay sent something this client cannot parse; the connection stays up. */
  onProtocolError?(error: ProtocolError): void;
}

export class RelayConnection {
  state: ConnectionState = 'idle';
  /** Why the last attempt failed, for the status tooltip. */
  lastError = '';
  ready: ReadyFrame | undefined;
  private socket: RelaySocket | undefined;
  private readonly backoff: Backoff;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongDeadline: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;

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
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.onOnline);
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
    this.connect();
  }

  private readonly onOnline = () => this.retryNow();

  private endpoint(): string {
    const url = new URL(this.options.url);
    url.searchParams.set('client_id', this.options.clientId);
    if (this.options.token) url.searchParams.set('token', this.options.token);
    return url.href;
  }

  private connect(): void {
    this.teardown();
    this.setState('connecting');
    let socket: RelaySocket;
    try {
      socket = this.options.socketFactory?.(this.endpoint()) ?? new WebSocket(this.endpoint());
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

  private onMessage(raw: string): void {
    this.armPong();
    const parsed = parseRelayFrame(raw);
    if (!parsed.ok) {
      this.handlers.onProtocolError?.(parsed.error);
      return;
    }
    const frame = parsed.value;
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
        this.socket?.close(4009);
        this.backoff.closed();
        this.teardown();
        this.scheduleRetry();
      },
      (this.options.pingIntervalMs ?? 25_000) + (this.options.pongTimeoutMs ?? 10_000),
    );
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.setState('offline');
    this.retryTimer = setTimeout(() => this.connect(), this.backoff.next());
  }

  private teardown(): void {
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
    if (state === this.state) return;
    this.state = state;
    this.handlers.onState(state);
  }
}
