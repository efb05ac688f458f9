/** The runtime-neutral HTTP the core speaks: the response each adapter writes out, and the routes plugged into the core. */

import type { RequestInfo } from './socket.ts';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array<ArrayBuffer> | StreamingBody;
}

/** A body written piece by piece as it is produced (server-sent events). */
export interface StreamingBody {
  readonly chunks: AsyncIterable<string>;
  /** Called by the adapter when the client goes away before the last chunk. */
  cancel(): void;
}

export function isStreaming(body: HttpResponse['body']): body is StreamingBody {
  return typeof body === 'object' && 'chunks' in body;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}

export function text(status: number, body: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body };
}

/**
 * An HTTP endpoint plugged into the relay (the OpenAI facade, token issuing, the client's files).
 * The core asks each route in order after its own checks (Host, `/healthz`, the WebSocket paths);
 * the first whose `match` says yes answers, and a request no route matches gets 404.
 */
export interface Route {
  /** `path` is the URL path without query or trailing slash. */
  match(path: string, method: string): boolean;
  handle(req: RequestInfo, path: string): Promise<HttpResponse> | HttpResponse;
}
