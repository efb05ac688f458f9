/** Reads an AG-UI event stream: SSE frames → JSON → events checked against @ag-ui/core's own schemas. */

import type { Event } from '@ag-ui/core';
import { EventSchemas } from '@ag-ui/core/schemas';
import { TurnError } from '../../core/agent.ts';
import { readSse, SseTruncated } from '../sse.ts';

/** The agent sent something that is not an AG-UI 1.0 event: the run ends with this, the relay goes on. */
export class BadAgUiEvent extends TurnError {}

const MAX_SHOWN = 200;

/** Yields each event the agent sends, validated; throws `BadAgUiEvent` at the first one that is not valid. */
export async function* readAgUiEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<Event> {
  try {
    for await (const frame of readSse(body)) {
      let value: unknown;
      try {
        value = JSON.parse(frame.data);
      } catch {
        throw new BadAgUiEvent(`The AG-UI agent sent an event that is not JSON: ${shorten(frame.data)}`);
      }
      const parsed = EventSchemas.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
        throw new BadAgUiEvent(
          `The AG-UI agent sent an event Parley cannot read (${typeName(value)}${where}: ${issue?.message ?? 'invalid'}).`,
        );
      }
      const event: Event = parsed.data;
      yield event;
    }
  } catch (err) {
    if (err instanceof SseTruncated) {
      throw new TurnError('The connection to the AG-UI agent closed in the middle of an event.');
    }
    throw err;
  }
}

function typeName(value: unknown): string {
  const type = typeof value === 'object' && value !== null && 'type' in value ? value.type : undefined;
  return typeof type === 'string' ? shorten(type) : 'an event without a string "type"';
}

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
