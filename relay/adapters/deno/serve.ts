/** Deno adapter: `Deno.serve` + `Deno.upgradeWebSocket`, speaking to the runtime-agnostic relay core. */

import type { Relay } from '../../core/relay.ts';
import type { ListenConfig } from '../../config.ts';
import type { RelaySocket, RequestInfo, SocketHandlers } from '../../core/socket.ts';
import { pickSubprotocol } from '../../core/auth.ts';
import { isStreaming } from '../../core/http.ts';
import { CLOSE_CODES } from '../../../shared/index.ts';
import { readBody, toReadable } from './http-body.ts';

const encoder = new TextEncoder();

function requestInfo(req: Request, remote: string, secure: boolean): RequestInfo {
  const url = new URL(req.url);
  return {
    method: req.method,
    url: url.pathname + url.search,
    header: (name) => req.headers.get(name) ?? undefined,
    remote,
    secure,
    body: (limit) => readBody(req, limit),
    signal: req.signal,
  };
}

function wrap(ws: WebSocket): RelaySocket {
  return {
    send: (data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount ?? 0;
    },
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
  };
}

/** A string's UTF-8 size, computed only when it could be over the limit. */
function textSize(text: string, limit: number): number {
  return text.length * 3 <= limit ? text.length : encoder.encode(text).length;
}

function attach(ws: WebSocket, handlers: () => SocketHandlers, limit: number): void {
  let core: SocketHandlers | undefined;
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => (core = handlers());
  ws.onmessage = (event: MessageEvent) => {
    const text = typeof event.data === 'string' ? event.data : undefined;
    const size =
      text !== undefined ? textSize(text, limit) : event.data instanceof ArrayBuffer ? event.data.byteLength : 0;
    // Deno has no payload cap option; mirror ws's maxPayload for every socket, clients and agents alike.
    if (size > limit) return ws.close(CLOSE_CODES.frameTooLarge, 'frame too large');
    core?.onMessage(text, size);
  };
  ws.onclose = (event: CloseEvent) => core?.onClose(event.code, event.reason);
  ws.onerror = () => undefined;
}

export function serveDeno(relay: Relay, config: ListenConfig): { url: Promise<string>; shutdown(): Promise<void> } {
  const secure = config.tlsCert !== undefined;
  let resolveUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const handler = async (req: Request, info: Deno.ServeHandlerInfo): Promise<Response> => {
    const addr = info.remoteAddr;
    const reqInfo = requestInfo(req, 'hostname' in addr ? addr.hostname : 'unix', secure);
    if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      const decision = relay.decideUpgrade(reqInfo);
      if (decision.kind === 'refused') return new Response(`${decision.reason}\n`, { status: decision.status });
      if (decision.kind === 'no_endpoint') return new Response('no WebSocket endpoint here\n', { status: 404 });
      const offered = (req.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
      const protocol = pickSubprotocol(offered);
      const { socket, response } = Deno.upgradeWebSocket(req, {
        ...(protocol ? { protocol } : {}),
        idleTimeout: config.pingIntervalSec * 2,
      });
      const open = () =>
        decision.kind === 'client'
          ? relay.openClient(wrap(socket), decision, reqInfo.remote)
          : relay.openAgent(wrap(socket), reqInfo.remote);
      attach(socket, open, relay.config.maxFrameBytes);
      return response;
    }
    const out = await relay.handleHttp(reqInfo);
    // A HEAD answer and a 304 have no body: the Fetch Response refuses one, even empty.
    const bodiless = req.method === 'HEAD' || out.status === 304;
    const body = bodiless ? null : isStreaming(out.body) ? toReadable(out.body) : out.body;
    return new Response(body, { status: out.status, headers: out.headers });
  };
  const onListen = (addr: Deno.Addr) => {
    if ('path' in addr) return resolveUrl(`unix:${addr.path}`);
    if (!('hostname' in addr)) return resolveUrl('vsock:');
    const host = addr.hostname.includes(':') ? `[${addr.hostname}]` : addr.hostname;
    resolveUrl(`${secure ? 'https' : 'http'}://${host}:${addr.port}`);
  };
  // Deno.serve already survives peers that reset; a handler that throws is logged like on Node, not printed raw.
  const onError = (err: unknown) => {
    relay.logger.error('http handler failed', { error: err instanceof Error ? err.message : String(err) });
    return new Response('internal error', { status: 500, headers: { 'content-type': 'text/plain' } });
  };
  const server = config.unixSocket
    ? Deno.serve({ path: config.unixSocket, onListen, onError }, handler)
    : Deno.serve(
        {
          hostname: config.host,
          port: config.port,
          onListen,
          onError,
          ...(secure
            ? { cert: Deno.readTextFileSync(config.tlsCert ?? ''), key: Deno.readTextFileSync(config.tlsKey ?? '') }
            : {}),
        },
        handler,
      );
  return {
    url,
    shutdown: async () => {
      await relay.close();
      await server.shutdown();
    },
  };
}
