/** Node adapter: node:http(s) plus `ws`, speaking to the runtime-agnostic relay core. */

import { readFile, rm } from 'node:fs/promises';
import {
  STATUS_CODES,
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Relay } from '../../core/relay.ts';
import type { ListenConfig } from '../../config.ts';
import type { RelaySocket, RequestInfo, SocketHandlers } from '../../core/socket.ts';
import { pickSubprotocol } from '../../core/auth.ts';
import { isStreaming } from '../../core/http.ts';
import { readBody, writeStream } from './http-body.ts';

export interface RunningServer {
  /** `http://host:port` (or `unix:/path`). */
  url: string;
  port: number;
  close(): Promise<void>;
}

function requestInfo(req: IncomingMessage, secure: boolean, res?: ServerResponse): RequestInfo {
  const gone = new AbortController();
  res?.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    header: (name) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    remote: req.socket.remoteAddress ?? 'unix',
    secure,
    body: (limit) => readBody(req, limit),
    signal: gone.signal,
  };
}

/** The core's view of a `ws` socket; a class, so an idle connection costs one small object, not a set of closures. */
class NodeSocket implements RelaySocket {
  constructor(private readonly ws: WebSocket) {}

  send(data: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(data);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }
}

function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Wires a socket to core handlers, with WebSocket-level pings for liveness. */
function attach(ws: WebSocket, handlers: SocketHandlers, pingMs: number, onError: (err: Error) => void): void {
  let alive = true;
  ws.on('pong', () => (alive = true));
  const timer = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, pingMs);
  ws.on('message', (data, isBinary) => handlers.onMessage(isBinary ? undefined : rawText(data), rawSize(data)));
  ws.on('close', (code, reason) => {
    clearInterval(timer);
    handlers.onClose(code, reason.toString('utf8'));
  });
  ws.on('error', (err) => {
    onError(err);
    ws.terminate();
  });
}

export async function serveNode(relay: Relay, config: ListenConfig): Promise<RunningServer> {
  const secure = config.tlsCert !== undefined;
  const server: Server = secure
    ? createHttpsServer({ cert: await readFile(config.tlsCert ?? ''), key: await readFile(config.tlsKey ?? '') })
    : createHttpServer();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: relay.config.maxFrameBytes,
    handleProtocols: (offered) => pickSubprotocol([...offered]) ?? false,
  });
  const pingMs = config.pingIntervalSec * 1000;

  const peerError = (where: string) => (err: Error) => relay.logger.debug('peer error', { where, error: err.message });
  // A peer may reset any connection at any moment: every socket and stream gets an error listener, so none crashes us.
  server.on('clientError', (err: Error, socket: Duplex) => {
    peerError('http')(err);
    if (!socket.writable) return void socket.destroy();
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  server.on('tlsClientError', peerError('tls'));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.on('error', peerError('request'));
    res.on('error', peerError('response'));
    relay
      .handleHttp(requestInfo(req, secure, res))
      .then((out) => {
        res.writeHead(out.status, out.headers);
        if (isStreaming(out.body)) return writeStream(res, out.body);
        res.end(out.body);
      })
      .catch((err: unknown) => {
        relay.logger.error('http handler failed', { error: err instanceof Error ? err.message : String(err) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        if (!res.writableEnded) res.end('internal error');
      });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own listener from upgrade sockets; `ws` adds one only once it takes the socket over.
    socket.on('error', peerError('upgrade'));
    const info = requestInfo(req, secure);
    const decision = relay.decideUpgrade(info);
    if (decision.kind === 'refused') return refuse(socket, decision.status, decision.reason);
    if (decision.kind === 'no_endpoint') return refuse(socket, 404, 'no WebSocket endpoint here');
    // Closures below live as long as the socket: they keep the strings they need, never `info` (it holds the request).
    const { remote } = info;
    const kind = decision.kind;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const handlers =
        decision.kind === 'client'
          ? relay.openClient(new NodeSocket(ws), decision, remote)
          : relay.openAgent(new NodeSocket(ws), remote);
      attach(ws, handlers, pingMs, (err) => relay.logger.warn('socket error', { kind, remote, error: err.message }));
    });
  });

  if (config.unixSocket) {
    await rm(config.unixSocket, { force: true });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.unixSocket, resolve));
  } else {
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(config.port, config.host, resolve),
    );
  }
  server.removeAllListeners('error');
  // After listening, a server error is an accept failure (EMFILE and the like): log it, keep serving.
  server.on('error', (err: Error) => relay.logger.error('server error', { error: err.message }));
  const address = server.address();
  const port = typeof address === 'object' && address ? (address as AddressInfo).port : 0;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = config.unixSocket ? `unix:${config.unixSocket}` : `${secure ? 'https' : 'http'}://${host}:${port}`;

  return {
    url,
    port,
    close: async () => {
      await relay.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
