/** A Server-Sent Events reader: turns a byte stream into events, as the EventSource spec frames them. */

export interface SseEvent {
  /** The `event:` field, when the server named one (OpenAI-compatible servers rarely do). */
  event: string | undefined;
  /** The `data:` lines of one event, joined with newlines. */
  data: string;
}

/** Thrown when the stream ends in the middle of an event (the connection was cut). */
export class SseTruncated extends Error {
  override readonly name = 'SseTruncated';
}

/**
 * Yields each complete event. Lines may end in LF, CRLF or CR and may be split anywhere across
 * reads; comments (`: keep-alive`) and unknown fields are skipped. An event still being built
 * when the bytes run out is never yielded: `SseTruncated` is thrown instead.
 */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event: string | undefined;
  const takeLines = function* (final: boolean): Generator<SseEvent> {
    while (true) {
      const end = buffer.search(/\r\n|\r|\n/);
      // A lone CR at the very end may be the first half of a CRLF split across reads.
      if (end === -1 || (!final && end === buffer.length - 1 && buffer[end] === '\r')) return;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield { event, data: data.join('\n') };
        data = [];
        event = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
  };
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    yield* takeLines(false);
  }
  buffer += decoder.decode();
  yield* takeLines(true);
  if (data.length > 0 || buffer.trim() !== '') throw new SseTruncated('the stream ended in the middle of an event');
}
