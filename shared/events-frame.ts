/** The `events` frame of protocol 2: packs consecutive output events of one turn into one frame, and unpacks it. */

import type { CoalescedEntry, EventsFrame, TurnOutputEvent } from './relay-frames.ts';

/** The stamps of an event that an `events` frame carries once for all. */
type Stamps = Pick<TurnOutputEvent, 'chat_id' | 'epoch' | 'turn_id' | 'message_id'>;

/**
 * One frame for `events`: consecutive seqs of one turn (the caller's promise). Runs of `delta` (or of
 * `reasoning_delta`) merge into one text with the lengths of its parts, which is most of the bytes saved.
 */
export function packEvents(events: readonly [TurnOutputEvent, ...TurnOutputEvent[]]): EventsFrame {
  const [first] = events;
  const entries: CoalescedEntry[] = [];
  let run: { type: 'delta' | 'reasoning_delta'; texts: string[] } | undefined;
  const endRun = () => {
    if (!run) return;
    const text = run.texts.join('');
    const parts = run.texts.length > 1 ? run.texts.map((t) => t.length) : undefined;
    entries.push(run.type === 'delta' ? textEntry('delta', text, parts) : textEntry('reasoning_delta', text, parts));
    run = undefined;
  };
  for (const event of events) {
    if (event.type === 'delta' || event.type === 'reasoning_delta') {
      if (run?.type !== event.type) endRun();
      (run ??= { type: event.type, texts: [] }).texts.push(event.text);
      continue;
    }
    endRun();
    entries.push(entryOf(event));
  }
  endRun();
  const { chat_id, epoch, turn_id, message_id, seq } = first;
  return {
    type: 'events',
    chat_id,
    epoch,
    turn_id,
    message_id,
    seq,
    last_seq: seq + events.length - 1,
    events: entries,
  };
}

/** The events a (parsed, hence consistent) `events` frame stands for, each with its own seq and stamps. */
export function unpackEvents(frame: EventsFrame): TurnOutputEvent[] {
  const stamps: Stamps = {
    chat_id: frame.chat_id,
    epoch: frame.epoch,
    turn_id: frame.turn_id,
    message_id: frame.message_id,
  };
  const out: TurnOutputEvent[] = [];
  let seq = frame.seq;
  for (const entry of frame.events) {
    if (entry.type !== 'delta' && entry.type !== 'reasoning_delta') {
      out.push({ ...entry, ...stamps, seq: seq++ });
      continue;
    }
    const { type, text, parts = [text.length] } = entry;
    let at = 0;
    for (const length of parts) {
      out.push({ type, text: text.slice(at, (at += length)), ...stamps, seq: seq++ });
    }
  }
  return out;
}

/** How many events (seqs) an entry stands for. */
export function entryCount(entry: CoalescedEntry): number {
  return (entry.type === 'delta' || entry.type === 'reasoning_delta') && entry.parts ? entry.parts.length : 1;
}

function textEntry<T extends 'delta' | 'reasoning_delta'>(type: T, text: string, parts: number[] | undefined) {
  return parts ? { type, text, parts } : { type, text };
}

function entryOf(event: Exclude<TurnOutputEvent, { type: 'delta' | 'reasoning_delta' }>): CoalescedEntry {
  const { chat_id: _chat, epoch: _epoch, seq: _seq, turn_id: _turn, message_id: _message, ...entry } = event;
  return entry;
}
