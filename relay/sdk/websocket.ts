/** The slice of the WebSocket API the agent client needs, met by Deno's and Node 22's globals and by `ws`. */

export interface MessageLike {
  data: unknown;
}

export interface CloseLike {
  code: number;
  reason: string;
}

/**
 * Declared with methods so that each runtime's own (stricter) event types are accepted. `ws`, Deno and
 * Node 22+ all take `{ headers }` as the constructor's second argument, which is how the agent
 * credential travels without ending up in a URL.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: MessageLike) => void): void;
  addEventListener(type: 'close', listener: (event: CloseLike) => void): void;
  addEventListener(type: 'error', listener: () => void): void;
}

export type WebSocketConstructor = new (url: string, options: { headers: Record<string, string> }) => WebSocketLike;

/** `readyState` of an open socket in every implementation. */
export const OPEN = 1;

/** The constructor to use: the one given, else the runtime's global (absent on Node before 22). */
export function resolveWebSocket(given: WebSocketConstructor | undefined): WebSocketConstructor {
  if (given) return given;
  const global: unknown = Reflect.get(globalThis, 'WebSocket');
  if (!isWebSocketConstructor(global)) {
    throw new Error("this runtime has no global WebSocket: pass one, e.g. { WebSocket } from the 'ws' package");
  }
  return global;
}

/**
 * Node 20 has no global WebSocket (without a flag), so presence is checked at run time. The signature
 * cannot be: the globals of Deno and Node 22+ take `{ headers }`; a browser's would ignore them.
 */
function isWebSocketConstructor(value: unknown): value is WebSocketConstructor {
  return typeof value === 'function';
}

/** Accepts `ws://…/agent`, or the relay's `http(s)://` base, and returns the agent endpoint's URL. */
export function agentUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/agent';
  return u.toString();
}
