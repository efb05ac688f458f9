/** The runtime-neutral HTTP response the core returns and each adapter writes out. */

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
