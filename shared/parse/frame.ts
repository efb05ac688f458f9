/** What the parsers of every direction share: JSON → object with a string `type` → that type's handler → fields. */

import type { AgentEvent, AgentEventType } from '../agent-events.ts';
import type { Result } from '../errors.ts';
import { CHAT_ID_PATTERN, LIMITS } from '../limits.ts';
import type { ChatMessage } from '../model.ts';
import { readAgentEvent } from '../parse-model.ts';
import { compact, isObject, Reader } from '../reader.ts';

export type Handlers<F extends { type: string }> = { [K in F['type']]: (r: Reader) => Extract<F, { type: K }> };

export const MODEL = { max: LIMITS.maxLabelChars };
export const EPOCH = { max: 64, pattern: /^[A-Za-z0-9_-]{1,64}$/ };

/** Parses text into a frame of one direction: JSON → object with string `type` → known type → fields. */
export function parseWith<F extends { type: string }>(raw: string, side: string, handlers: Handlers<F>): Result<F> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, error: { code: 'bad_json', message: 'frame is not valid JSON' } };
  }
  return parseObjectWith(data, side, handlers);
}

function parseObjectWith<F extends { type: string }>(data: unknown, side: string, handlers: Handlers<F>): Result<F> {
  if (!isObject(data) || !Object.hasOwn(data, 'type') || typeof data['type'] !== 'string') {
    return { ok: false, error: { code: 'bad_frame', message: 'frame must be a JSON object with a string "type"' } };
  }
  const type = data['type'];
  const handler = Object.hasOwn(handlers, type) ? pick(handlers, type) : undefined;
  if (!handler) {
    const shown = type.length > 40 ? `${type.slice(0, 40)}…` : type;
    return {
      ok: false,
      error: { code: 'unknown_type', message: `unknown ${side} frame type "${shown}"`, frameType: shown },
    };
  }
  const r = new Reader(data, type);
  const frame = handler(r);
  if (r.error) {
    const chatId =
      typeof data['chat_id'] === 'string' && CHAT_ID_PATTERN.test(data['chat_id']) ? data['chat_id'] : undefined;
    const refKey = ['client_msg_id', 'request_id'].find(
      (k) => typeof data[k] === 'string' && String(data[k]).length <= 128,
    );
    return {
      ok: false,
      error: compact({ ...r.error, frameType: type, chatId, ref: refKey ? String(data[refKey]) : undefined }),
    };
  }
  return { ok: true, value: frame };
}

function pick<F extends { type: string }>(handlers: Handlers<F>, type: string): ((r: Reader) => F) | undefined {
  for (const [key, fn] of Object.entries(handlers) as [string, (r: Reader) => F][]) if (key === type) return fn;
  return undefined;
}

export const placeholderMessage: ChatMessage = { id: '', role: 'user', text: '', created_at: 0 };

/** Handlers for agent event frames of the given types, each with extra stamped fields. */
export function eventHandlers<K extends AgentEventType, T>(types: readonly K[], extra: (r: Reader) => T) {
  const out: Partial<Record<K, (r: Reader) => AgentEvent & T>> = {};
  for (const type of types) out[type] = (r) => ({ ...readAgentEvent(type, r), ...extra(r) });
  // The loop above fills every key in `types` with a reader of that type's event.
  return out as { [P in K]: (r: Reader) => Extract<AgentEvent, { type: P }> & T };
}

/** The frame types a direction's handler table knows: the table is typed over the whole union, so none is missing. */
export function frameTypes<F extends { type: string }>(handlers: Handlers<F>): readonly F['type'][] {
  return Object.keys(handlers).filter((key): key is F['type'] => Object.hasOwn(handlers, key));
}
