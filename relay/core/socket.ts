/** The only view of a WebSocket the relay core has; each runtime adapter provides one. */

export interface RelaySocket {
  /** Sends one text frame; never throws (adapters swallow errors on closing sockets). */
  send(data: string): void;
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  readonly isOpen: boolean;
}

/** What the core needs to know about an HTTP request or WebSocket handshake. */
export interface RequestInfo {
  method: string;
  /** Path plus query, as received. */
  url: string;
  header(name: string): string | undefined;
  /** Remote address for logs, e.g. `127.0.0.1`. */
  remote: string;
  /** Whether the listener is TLS, for building the relay's own origin. */
  secure: boolean;
  /** Reads the body as UTF-8 text, once; rejects with `BodyTooLarge` past `limit` bytes. */
  body(limit: number): Promise<string>;
  /** Aborts when the client goes away before the response is complete, so work done for it can stop. */
  signal: AbortSignal;
}

/** A request body over the reader's limit (answered with 413). */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/** What the adapter gives the core for each message and the close of an accepted socket. */
export interface SocketHandlers {
  /** `text` is undefined for a binary frame. `bytes` is the frame's size. */
  onMessage(text: string | undefined, bytes: number): void;
  onClose(code: number, reason: string): void;
}
