/** The client's parser for frames from the relay: connection frames and sequenced chat events. */

import { TURN_OUTPUT_TYPES } from '../agent-events.ts';
import { ERROR_CODES, type Result } from '../errors.ts';
import { IMPORT_BATCH, LIMITS, MESSAGE_LIMITS, type Limits } from '../limits.ts';
import { agentInfoParser, chatMessageParser, readChatId, readId, readOptId } from '../parse-model.ts';
import { compact, objectParser, type ItemParser, type Reader } from '../reader.ts';
import type { CoalescedEntry, EventsFrame, FrameRate, RelayFrame, RelayWireFrame } from '../relay-frames.ts';
import { entryCount, unpackEvents } from '../events-frame.ts';
import { EPOCH, eventHandlers, frameTypes, parseWith, placeholderMessage, type Handlers } from './frame.ts';
import { readCoalescedEntry } from './events-entry.ts';
import { answeredByParser, humanAnswerParser } from './human-request.ts';
import { readChanges } from './workspace.ts';

const seqFields = (r: Reader) => ({
  chat_id: readChatId(r),
  seq: r.int('seq', { min: 1 }),
  epoch: r.str('epoch', EPOCH),
});
const turnFields = (r: Reader) => ({
  ...seqFields(r),
  turn_id: readId(r, 'turn_id'),
  message_id: readId(r, 'message_id'),
});
const limitsParser: ItemParser<Limits> = objectParser((r) => ({
  maxFrameBytes: r.int('maxFrameBytes'),
  maxTextChars: r.int('maxTextChars'),
  maxAttachments: r.int('maxAttachments'),
  maxAttachmentBytes: r.int('maxAttachmentBytes'),
  maxTotalAttachmentBytes: r.int('maxTotalAttachmentBytes'),
  maxContextMessages: r.int('maxContextMessages'),
  maxContextChars: r.int('maxContextChars'),
  maxButtons: r.int('maxButtons'),
  maxLabelChars: r.int('maxLabelChars'),
}));
const placeholderInfo = { name: '', capabilities: [], online: false };
const rateParser: ItemParser<FrameRate> = objectParser((r) => ({
  per_second: r.int('per_second', { min: 1 }),
  burst: r.int('burst', { min: 1 }),
}));
/** What a relay that names no rate (one older than protocol 2, refused by its `protocol`) is taken to allow. */
const UNKNOWN_RATE: FrameRate = { per_second: 20, burst: 60 };

const relayHandlers: Handlers<RelayWireFrame> = {
  ready: (r) => ({
    type: 'ready',
    protocol: r.int('protocol'),
    epoch: r.str('epoch', EPOCH),
    client_id: r.str('client_id', { max: 128 }),
    agent: r.nested('agent', agentInfoParser, placeholderInfo),
    limits: r.nested('limits', limitsParser, LIMITS),
    // Read leniently: a protocol 1 relay sends none, and the client must still see its `protocol` to refuse it.
    rate: r.has('rate') ? r.nested('rate', rateParser, UNKNOWN_RATE) : UNKNOWN_RATE,
    ...(r.has('workspace') ? { workspace: readChatId(r, 'workspace') } : {}),
  }),
  subscribed: (r) => ({
    type: 'subscribed',
    chat_id: readChatId(r),
    epoch: r.str('epoch', EPOCH),
    head_seq: r.int('head_seq'),
    recovered: r.bool('recovered'),
  }),
  unsubscribed: (r) => ({ type: 'unsubscribed', chat_id: readChatId(r) }),
  ack: (r) => ({
    type: 'ack',
    chat_id: readChatId(r),
    client_msg_id: readId(r, 'client_msg_id'),
    message_id: readId(r, 'message_id'),
    seq: r.int('seq', { min: 1 }),
  }),
  agent_state: (r) => ({ type: 'agent_state', agent: r.nested('agent', agentInfoParser, placeholderInfo) }),
  history_result: (r) => ({
    type: 'history_result',
    chat_id: readChatId(r),
    request_id: readId(r, 'request_id'),
    messages: r.arr('messages', chatMessageParser(), 10_000),
    complete: r.bool('complete'),
  }),
  error: (r) =>
    compact({
      type: 'error',
      code: r.oneOf('code', ERROR_CODES),
      message: r.str('message', { max: 4000 }),
      chat_id: r.optStr('chat_id', { max: 64 }),
      ref: r.optStr('ref', { max: 128 }),
    }),
  pong: (r) => compact({ type: 'pong', nonce: r.optStr('nonce', { max: 64 }) }),
  message: (r) => ({
    type: 'message',
    ...seqFields(r),
    message: r.nested('message', chatMessageParser(), placeholderMessage),
  }),
  imported: (r) => ({
    type: 'imported',
    ...seqFields(r),
    messages: r.arr('messages', chatMessageParser(), IMPORT_BATCH),
  }),
  turn_start: (r) => ({
    type: 'turn_start',
    ...turnFields(r),
    reply_to: readId(r, 'reply_to'),
    version_of: readOptId(r, 'version_of'),
    created_at: r.int('created_at'),
  }),
  turn_end: (r) =>
    compact({
      type: 'turn_end',
      ...turnFields(r),
      status: r.oneOf('status', ['done', 'stopped', 'error'] as const),
      error: r.optStr('error', { max: MESSAGE_LIMITS.maxErrorChars }),
    }),
  action_used: (r) => ({
    type: 'action_used',
    ...seqFields(r),
    message_id: readId(r, 'message_id'),
    action_id: readId(r, 'action_id'),
  }),
  retract: (r) => ({ type: 'retract', ...seqFields(r), message_id: readId(r, 'message_id') }),
  regenerate: (r) => ({
    type: 'regenerate',
    ...seqFields(r),
    message_id: readId(r, 'message_id'),
    replaces: readId(r, 'replaces'),
  }),
  message_edit: (r) => ({
    type: 'message_edit',
    ...seqFields(r),
    message_id: readId(r, 'message_id'),
    text: r.str('text', { max: MESSAGE_LIMITS.maxEditChars }),
    edited_at: r.int('edited_at'),
  }),
  request_answered: (r) => ({
    type: 'request_answered',
    ...seqFields(r),
    message_id: readId(r, 'message_id'),
    request_id: readId(r, 'request_id'),
    answer: r.nested('answer', humanAnswerParser, { kind: 'decline' }),
    answered_by: r.nested('answered_by', answeredByParser, { client_id: '' }),
    answered_at: r.int('answered_at'),
  }),
  ...eventHandlers(TURN_OUTPUT_TYPES, turnFields),
  events: readEventsFrame,
  workspace: (r) => ({ type: 'workspace', ...seqFields(r), changes: readChanges(r) }),
};

/** The most entries one `events` frame may hold (a relay packs far fewer). */
const MAX_ENTRIES = 10_000;

/** An `events` frame whose entries cover exactly `seq`..`last_seq`: overlapping or reversed ranges are refused. */
function readEventsFrame(r: Reader): EventsFrame {
  const head = turnFields(r);
  const lastSeq = r.int('last_seq', { min: 1 });
  const events: CoalescedEntry[] = r.arr('events', readCoalescedEntry, MAX_ENTRIES);
  if (!r.error) {
    const covered = events.reduce((n, e) => n + entryCount(e), 0);
    if (covered === 0 || lastSeq !== head.seq + covered - 1) {
      r.fail('last_seq', `is ${lastSeq}, but the events cover ${covered} seqs from ${head.seq}`);
    }
  }
  return { type: 'events', ...head, last_seq: lastSeq, events };
}

/** Parses one frame from the relay as it travels (an `events` frame stays packed). */
export function parseRelayFrame(raw: string): Result<RelayWireFrame> {
  return parseWith(raw, 'relay', relayHandlers);
}

/** Parses a frame from the relay into what clients handle: an `events` frame gives the chat events it carries. */
export function readRelayFrames(raw: string): Result<RelayFrame[]> {
  const parsed = parseRelayFrame(raw);
  if (!parsed.ok) return parsed;
  const frame = parsed.value;
  return { ok: true, value: frame.type === 'events' ? unpackEvents(frame) : [frame] };
}

/** Every relay → client frame type the parser knows. */
export const RELAY_FRAME_TYPES: readonly RelayWireFrame['type'][] = /* @__PURE__ */ frameTypes(relayHandlers);
