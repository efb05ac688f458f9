/** Runtime parsers for whole frames in each of the four directions. */

import { AGENT_EVENT_TYPES, TURN_OUTPUT_TYPES, type AgentEvent, type AgentEventType } from './agent-events.ts';
import type { AgentToRelayFrame, RelayToAgentFrame, TurnInput } from './agent-frames.ts';
import type { ClientFrame, RegenerateRequest } from './client-frames.ts';
import { ERROR_CODES, type Result } from './errors.ts';
import { CHAT_ID_PATTERN, LIMITS, MESSAGE_LIMITS, type Limits } from './limits.ts';
import type { ChatMessage } from './model.ts';
import {
  agentInfoParser,
  attachmentParser,
  chatMessageParser,
  checkAttachmentTotal,
  contextParser,
  readAgentEvent,
  readChatId,
  readId,
  readOptId,
} from './parse-model.ts';
import { compact, isObject, objectParser, Reader, stringParser, type ItemParser } from './reader.ts';
import type { RelayFrame } from './relay-frames.ts';

type Handlers<F extends { type: string }> = { [K in F['type']]: (r: Reader) => Extract<F, { type: K }> };

const MODEL = { max: LIMITS.maxLabelChars };
const EPOCH = { max: 64, pattern: /^[A-Za-z0-9_-]{1,64}$/ };

/** Parses text into a frame of one direction: JSON → object with string `type` → known type → fields. */
function parseWith<F extends { type: string }>(raw: string, side: string, handlers: Handlers<F>): Result<F> {
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

// ---- client → relay ----

const regenerateParser = objectParser<RegenerateRequest>((r) => ({
  message_id: readId(r, 'message_id'),
  replaces: readId(r, 'replaces'),
}));

function clientHandlers(limits: Limits): Handlers<ClientFrame> {
  return {
    subscribe: (r) =>
      compact({
        type: 'subscribe',
        chat_id: readChatId(r),
        epoch: r.optStr('epoch', EPOCH),
        after_seq: r.optInt('after_seq'),
      }),
    unsubscribe: (r) => ({ type: 'unsubscribe', chat_id: readChatId(r) }),
    send: (r) => {
      const frame = compact({
        type: 'send' as const,
        chat_id: readChatId(r),
        client_msg_id: readId(r, 'client_msg_id'),
        text: r.str('text', { max: limits.maxTextChars, code: 'text_too_large' }),
        attachments: r.optArr('attachments', attachmentParser(limits), limits.maxAttachments, 'attachments_too_large'),
        context: r.optArr('context', contextParser, limits.maxContextMessages, 'context_too_large'),
        model: r.optStr('model', MODEL),
        regenerate: r.has('regenerate')
          ? r.nested('regenerate', regenerateParser, { message_id: '', replaces: '' })
          : undefined,
      });
      const totalError = r.error ? undefined : checkAttachmentTotal(frame.attachments, limits);
      if (totalError) r.fail('attachments', totalError.message, totalError.code);
      const contextChars = (frame.context ?? []).reduce((n, m) => n + m.text.length, 0);
      if (contextChars > limits.maxContextChars)
        r.fail('context', `exceeds ${limits.maxContextChars} characters`, 'context_too_large');
      if (!r.error && frame.text.trim() === '' && !frame.attachments?.length)
        r.fail('text', 'is empty and there are no attachments');
      return frame;
    },
    stop: (r) => compact({ type: 'stop', chat_id: readChatId(r), turn_id: readOptId(r, 'turn_id') }),
    action: (r) => ({
      type: 'action',
      chat_id: readChatId(r),
      client_msg_id: readId(r, 'client_msg_id'),
      message_id: readId(r, 'message_id'),
      action_id: readId(r, 'action_id'),
    }),
    history: (r) =>
      compact({
        type: 'history',
        chat_id: readChatId(r),
        request_id: readId(r, 'request_id'),
        before: readOptId(r, 'before'),
        limit: r.optInt('limit', { min: 1, max: 500 }),
      }),
    ping: (r) => compact({ type: 'ping', nonce: r.optStr('nonce', { max: 64 }) }),
  };
}

const defaultClientHandlers = clientHandlers(LIMITS);

/** Parses a frame from a browser client. Pass the relay's effective limits when they are lower. */
export function parseClientFrame(raw: string, limits?: Limits): Result<ClientFrame> {
  return parseWith(raw, 'client', limits ? clientHandlers(limits) : defaultClientHandlers);
}

// ---- relay → client ----

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
const placeholderMessage: ChatMessage = { id: '', role: 'user', text: '', created_at: 0 };

/** Handlers for agent event frames of the given types, each with extra stamped fields. */
function eventHandlers<K extends AgentEventType, T>(types: readonly K[], extra: (r: Reader) => T) {
  const out: Partial<Record<K, (r: Reader) => AgentEvent & T>> = {};
  for (const type of types) out[type] = (r) => ({ ...readAgentEvent(type, r), ...extra(r) });
  // The loop above fills every key in `types` with a reader of that type's event.
  return out as { [P in K]: (r: Reader) => Extract<AgentEvent, { type: P }> & T };
}

const relayHandlers: Handlers<RelayFrame> = {
  ready: (r) => ({
    type: 'ready',
    protocol: r.int('protocol'),
    epoch: r.str('epoch', EPOCH),
    client_id: r.str('client_id', { max: 128 }),
    agent: r.nested('agent', agentInfoParser, placeholderInfo),
    limits: r.nested('limits', limitsParser, LIMITS),
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
  turn_start: (r) => ({ type: 'turn_start', ...turnFields(r), reply_to: readId(r, 'reply_to') }),
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
  message_edit: (r) => ({
    type: 'message_edit',
    ...seqFields(r),
    message_id: readId(r, 'message_id'),
    text: r.str('text', { max: MESSAGE_LIMITS.maxEditChars }),
    edited_at: r.int('edited_at'),
  }),
  ...eventHandlers(TURN_OUTPUT_TYPES, turnFields),
};

/** Parses a frame from the relay (used by the client and by tests). */
export function parseRelayFrame(raw: string): Result<RelayFrame> {
  return parseWith(raw, 'relay', relayHandlers);
}

// ---- agent → relay ----

function agentHandlers(limits: Limits): Handlers<AgentToRelayFrame> {
  const inChat = (r: Reader) => ({ chat_id: readChatId(r), turn_id: readId(r, 'turn_id') });
  return {
    hello: (r) => {
      const info = agentInfoParser(
        { ...pickFields(r, ['name', 'capabilities', 'models', 'model']), online: true },
        'hello',
      );
      if (!info.ok) r.error ??= info.error;
      return compact({
        type: 'hello',
        protocol: r.int('protocol'),
        name: info.ok ? info.value.name : '',
        capabilities: info.ok ? info.value.capabilities : [],
        models: info.ok ? info.value.models : undefined,
        model: info.ok ? info.value.model : undefined,
      });
    },
    state: (r) =>
      compact({
        type: 'state',
        name: r.optStr('name', { ...MODEL, min: 1 }),
        models: r.optArr('models', stringParser(MODEL), 1000),
        model: r.optStr('model', MODEL),
      }),
    turn_end: (r) =>
      compact({
        type: 'turn_end',
        ...inChat(r),
        status: r.oneOf('status', ['done', 'error'] as const),
        error: r.optStr('error', { max: MESSAGE_LIMITS.maxErrorChars }),
      }),
    history_result: (r) => ({
      type: 'history_result',
      chat_id: readChatId(r),
      request_id: readId(r, 'request_id'),
      messages: r.arr('messages', chatMessageParser(limits), 10_000),
      complete: r.bool('complete'),
    }),
    ...eventHandlers(AGENT_EVENT_TYPES, inChat),
  };
}

/** The raw values of some fields, to hand to a nested parser. */
function pickFields(r: Reader, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (r.has(key)) out[key] = r.raw(key);
  return out;
}

const defaultAgentHandlers = agentHandlers(LIMITS);

/** Parses a frame from an agent process. */
export function parseAgentFrame(raw: string): Result<AgentToRelayFrame> {
  return parseWith(raw, 'agent', defaultAgentHandlers);
}

// ---- relay → agent ----

const turnInputParser: ItemParser<TurnInput> = objectParser((r): TurnInput => {
  const kind = r.oneOf('kind', ['message', 'action'] as const);
  if (kind === 'message') return { kind, message: r.nested('message', chatMessageParser(), placeholderMessage) };
  return {
    kind,
    message_id: readId(r, 'message_id'),
    action_id: readId(r, 'action_id'),
    label: r.str('label', { max: LIMITS.maxLabelChars }),
  };
});

const relayToAgentHandlers: Handlers<RelayToAgentFrame> = {
  welcome: (r) => ({ type: 'welcome', protocol: r.int('protocol') }),
  turn: (r) =>
    compact({
      type: 'turn',
      chat_id: readChatId(r),
      turn_id: readId(r, 'turn_id'),
      message_id: readId(r, 'message_id'),
      input: r.nested('input', turnInputParser, { kind: 'message', message: placeholderMessage }),
      context: r.arr('context', contextParser, LIMITS.maxContextMessages),
      model: r.optStr('model', MODEL),
    }),
  stop: (r) => ({ type: 'stop', chat_id: readChatId(r), turn_id: readId(r, 'turn_id') }),
  history: (r) =>
    compact({
      type: 'history',
      chat_id: readChatId(r),
      request_id: readId(r, 'request_id'),
      before: readOptId(r, 'before'),
      limit: r.int('limit', { min: 1, max: 500 }),
    }),
  error: (r) =>
    compact({
      type: 'error',
      code: r.oneOf('code', ERROR_CODES),
      message: r.str('message', { max: 4000 }),
      ref: r.optStr('ref', { max: 128 }),
    }),
};

/** Parses a frame from the relay on the agent endpoint (used by agent clients). */
export function parseRelayToAgentFrame(raw: string): Result<RelayToAgentFrame> {
  return parseWith(raw, 'relay', relayToAgentHandlers);
}
