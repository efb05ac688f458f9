/** Request bodies in and streamed response bodies out, with the web-standard streams `Deno.serve` uses. */

import { BodyTooLarge } from '../../core/socket.ts';
import type { StreamingBody } from '../../core/http.ts';

const encoder = new TextEncoder();

/** Reads a body up to `limit` bytes; a larger Content-Length is refused before a byte is read. */
export async function readBody(req: Request, limit: number): Promise<string> {
  if (Number(req.headers.get('content-length') ?? 0) > limit) throw new BodyTooLarge(limit);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** A ReadableStream pulling from the body's chunks; Deno cancels it when the client goes away. */
export function toReadable(body: StreamingBody): ReadableStream<Uint8Array> {
  const iterator = body.chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    cancel() {
      body.cancel();
    },
  });
}
