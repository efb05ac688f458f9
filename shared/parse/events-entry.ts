/** Reads one entry of an `events` frame: a turn output event without its stamps, a text run with its parts. */

import { TURN_OUTPUT_TYPES } from '../agent-events.ts';
import { LIMITS } from '../limits.ts';
import { readAgentEvent } from '../parse-model.ts';
import { objectParser, type ItemParser } from '../reader.ts';
import type { CoalescedEntry } from '../relay-frames.ts';

/** More parts than a frame of the largest size could carry (each part is at least two bytes: `0,`). */
const MAX_PARTS = LIMITS.maxFrameBytes / 2;

const partLength: ItemParser<number> = (value, path) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? { ok: true, value }
    : { ok: false, error: { code: 'invalid_field', message: `${path} must be a whole number ≥ 0` } };

export const readCoalescedEntry: ItemParser<CoalescedEntry> = objectParser((r): CoalescedEntry => {
  const type = r.oneOf('type', TURN_OUTPUT_TYPES);
  if (type !== 'delta' && type !== 'reasoning_delta') {
    const event = readAgentEvent(type, r);
    // `type` is a turn output type, so the event read is never a `message_edit`.
    return event.type === 'message_edit' ? { type: 'typing', active: false } : event;
  }
  // A merged run may be longer than one event's text: the frame it rides in bounds it.
  const text = r.str('text', { max: LIMITS.maxFrameBytes });
  const parts = r.optArr('parts', partLength, MAX_PARTS);
  if (!parts) return { type, text };
  const sum = parts.reduce((n, p) => n + p, 0);
  if (!r.error && (parts.length < 2 || sum !== text.length)) {
    r.fail(
      'parts',
      `must list at least two lengths adding up to the text's ${text.length} (got ${parts.length}, sum ${sum})`,
    );
  }
  return { type, text, parts };
});
