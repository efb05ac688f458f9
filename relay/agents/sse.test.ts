/** The SSE reader on the byte-level cases real servers and proxies produce. */

import { describe, expect, it } from 'vitest';
import { readSse, SseTruncated, type SseEvent } from './sse.ts';

async function* bytes(...pieces: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of pieces) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

async function all(source: AsyncIterable<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of readSse(source)) out.push(e);
  return out;
}

describe('readSse', () => {
  it('yields one event per blank-line-terminated block, skipping comments and other fields', async () => {
    const events = await all(bytes(': keep-alive\n\nid: 1\ndata: {"a":1}\nretry: 10\n\ndata: [DONE]\n\n'));
    expect(events).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: undefined, data: '[DONE]' },
    ]);
  });

  it('handles CRLF and CR line ends, even with a CRLF split across reads', async () => {
    const events = await all(bytes('data: one\r', '\n\r\n', 'data: two\r\rdata:three\n\n'));
    expect(events.map((e) => e.data)).toEqual(['one', 'two', 'three']);
  });

  it('joins multi-line data, keeps named events, and decodes UTF-8 split inside a character', async () => {
    const euro = new TextEncoder().encode('data: 5 €\n\n');
    const events = await all(bytes('event: error\ndata: a\ndata: b\n\n', euro.slice(0, 8), euro.slice(8)));
    expect(events).toEqual([
      { event: 'error', data: 'a\nb' },
      { event: undefined, data: '5 €' },
    ]);
  });

  it('throws SseTruncated when the bytes stop inside an event', async () => {
    await expect(all(bytes('data: {"ok":true}\n\ndata: {"half'))).rejects.toBeInstanceOf(SseTruncated);
    await expect(all(bytes('data: complete line but no blank line\n'))).rejects.toBeInstanceOf(SseTruncated);
  });
});
