/** The `events` frame: packing and unpacking keep every event and the folded message; inconsistent frames get typed errors. */

import { describe, expect, it } from 'vitest';
import { foldEvent } from './fold.ts';
import type { ChatMessage } from './model.ts';
import { packEvents, unpackEvents } from './events-frame.ts';
import { parseRelayFrame, readRelayFrames } from './parse/relay-frames.ts';
import type { AgentEvent } from './agent-events.ts';
import { isChatEvent, type ChatEvent, type TurnOutputEvent } from './relay-frames.ts';

const stamps = { chat_id: 'c1', epoch: 'e1', turn_id: 't_1', message_id: 'm_2' };
const outputs: Exclude<AgentEvent, { type: 'message_edit' }>[] = [
  { type: 'typing', active: true },
  { type: 'reasoning_delta', text: 'a' },
  { type: 'reasoning_delta', text: '🤔b' },
  { type: 'delta', text: '' },
  { type: 'delta', text: 'x👋🏽' },
  { type: 'delta', text: '"\\\n' },
  { type: 'tool_call', call_id: 'k1', name: 'n', arguments: '{}' },
  { type: 'tool_output', call_id: 'k1', text: 'o' },
  { type: 'tool_result', call_id: 'k1', status: 'error' },
  { type: 'delta', text: 'y' },
  { type: 'buttons', buttons: [[{ id: 'b', label: 'B' }]] },
  { type: 'file', attachment: { id: 'f', name: 'f.png', mime: 'image/png', size: 3, data: 'AAAA' } },
];
const stream = (from: number): [TurnOutputEvent, ...TurnOutputEvent[]] => {
  const [first, ...rest] = outputs.map((e, i): TurnOutputEvent => ({ ...e, ...stamps, seq: from + i }));
  if (!first) throw new Error('no events');
  return [first, ...rest];
};
const fold = (events: readonly ChatEvent[]) =>
  events.reduce<ChatMessage | undefined>((m, e) => foldEvent(m, e), {
    id: 'm_2',
    role: 'assistant',
    text: '',
    created_at: 1,
  });

describe('events frame', () => {
  it('unpacks into exactly the events packed, so the reducer builds the same message', () => {
    const events = stream(5);
    const raw = JSON.stringify(packEvents(events));
    const read = readRelayFrames(raw);
    expect(read).toEqual({ ok: true, value: events });
    expect(fold(read.ok ? read.value.filter(isChatEvent) : [])).toEqual(fold(events));
    expect(fold(events)).toMatchObject({ text: 'x👋🏽"\\\ny', reasoning: 'a🤔b' });
    // Fewer bytes than one frame per event.
    expect(raw.length).toBeLessThan(events.reduce((n, e) => n + JSON.stringify(e).length, 0) / 2);
  });

  it('merges runs of one text type only, and says how long each part was', () => {
    const packed = packEvents(stream(1));
    expect(packed).toMatchObject({ type: 'events', seq: 1, last_seq: 12, ...stamps });
    expect(packed.events.slice(1, 3)).toEqual([
      { type: 'reasoning_delta', text: 'a🤔b', parts: [1, 3] },
      { type: 'delta', text: 'x👋🏽"\\\n', parts: [0, 5, 3] },
    ]);
    expect(packed.events[6]).toEqual({ type: 'delta', text: 'y' });
    expect(unpackEvents(packed)).toEqual(stream(1));
  });

  const frame = (over: Record<string, unknown>) => JSON.stringify({ ...packEvents(stream(5)), ...over });
  it.each([
    [
      'a range that overlaps the next frame',
      { last_seq: 17 },
      'events.last_seq is 17, but the events cover 12 seqs from 5',
    ],
    ['a range shorter than its events', { last_seq: 9 }, 'events.last_seq is 9, but the events cover 12 seqs from 5'],
    ['a range that runs backwards', { seq: 20 }, 'events.last_seq is 16, but the events cover 12 seqs from 20'],
    ['no events', { events: [], last_seq: 4 }, 'events.last_seq is 4, but the events cover 0 seqs from 5'],
    [
      'parts that do not add up',
      { events: [{ type: 'delta', text: 'abc', parts: [1, 1] }], last_seq: 6 },
      "events.events[0].parts must list at least two lengths adding up to the text's 3 (got 2, sum 2)",
    ],
    [
      'a single part',
      { events: [{ type: 'delta', text: 'abc', parts: [3] }], last_seq: 5 },
      "events.events[0].parts must list at least two lengths adding up to the text's 3 (got 1, sum 3)",
    ],
    [
      'a negative part',
      { events: [{ type: 'delta', text: 'a', parts: [2, -1] }], last_seq: 6 },
      'events.events[0].parts[1] must be a whole number ≥ 0',
    ],
    [
      'an event that is no turn output',
      { events: [{ type: 'turn_end', status: 'done' }], last_seq: 5 },
      'events.events[0].type must be one of delta, reasoning_delta, tool_call, tool_output, tool_result, file, buttons, typing, tool_args_delta, step, state_snapshot, source, data_part, request, title',
    ],
  ])('refuses %s with a typed error, never a throw', (_what, over, message) => {
    const result = readRelayFrames(frame(over));
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_field', message, frameType: 'events', chatId: 'c1' },
    });
    expect(parseRelayFrame(frame(over)).ok).toBe(false);
  });
});
