/** Node request bodies in, streamed response bodies out: the HTTP plumbing the facade needs from node:http. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge } from '../../core/socket.ts';
import type { StreamingBody } from '../../core/http.ts';

/** Reads a body up to `limit` bytes; a larger Content-Length is refused before a byte is read. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLarge(limit));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** Writes chunks as they come, waiting for the socket to drain; a client that leaves cancels the body. */
export async function writeStream(res: ServerResponse, body: StreamingBody): Promise<void> {
  const onClose = () => {
    if (!res.writableFinished) body.cancel();
  };
  res.once('close', onClose);
  res.flushHeaders();
  try {
    for await (const chunk of body.chunks) {
      if (res.destroyed) break;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
  } finally {
    res.end();
  }
}
