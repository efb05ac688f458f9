/** The parsers of the agent endpoint, both directions: agent → relay (the relay's) and relay → agent (agent clients'). */

import { AGENT_EVENT_TYPES } from '../agent-events.ts';
import type { AgentToRelayFrame, RelayToAgentFrame, TurnInput } from '../agent-frames.ts';
import { ERROR_CODES, type Result } from '../errors.ts';
import { LIMITS, MESSAGE_LIMITS, type Limits } from '../limits.ts';
import { agentInfoParser, chatMessageParser, contextParser, readChatId, readId, readOptId } from '../parse-model.ts';
import { compact, objectParser, stringParser, type ItemParser, type Reader } from '../reader.ts';
import { eventHandlers, frameTypes, MODEL, parseWith, placeholderMessage, type Handlers } from './frame.ts';
import { turnSettingsParser } from './settings.ts';
import { answeredByParser, humanAnswerParser, humanRequestParser } from './human-request.ts';

function agentHandlers(limits: Limits): Handlers<AgentToRelayFrame> {
  const inChat = (r: Reader) => ({ chat_id: readChatId(r), turn_id: readId(r, 'turn_id') });
  return {
    hello: (r) => {
      const info = agentInfoParser(
        { ...pickFields(r, ['name', 'capabilities', 'models', 'model', 'params']), online: true },
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
        params: info.ok ? info.value.params : undefined,
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

const defaultAgentHandlers = /* @__PURE__ */ agentHandlers(LIMITS);

/** Parses a frame from an agent process. */
export function parseAgentFrame(raw: string): Result<AgentToRelayFrame> {
  return parseWith(raw, 'agent', defaultAgentHandlers);
}

// ---- relay → agent ----

const turnInputParser: ItemParser<TurnInput> = objectParser((r): TurnInput => {
  const kind = r.oneOf('kind', ['message', 'action', 'answer'] as const);
  if (kind === 'message') return { kind, message: r.nested('message', chatMessageParser(), placeholderMessage) };
  if (kind === 'answer') {
    return {
      kind,
      message_id: readId(r, 'message_id'),
      request: r.nested('request', humanRequestParser, {
        kind: 'approval',
        id: '',
        tool: '',
        call_id: '',
        arguments: '',
      }),
      answer: r.nested('answer', humanAnswerParser, { kind: 'decline' }),
      answered_by: r.nested('answered_by', answeredByParser, { client_id: '' }),
    };
  }
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
      settings: r.has('settings') ? r.nested('settings', turnSettingsParser, {}) : undefined,
      continues: readOptId(r, 'continues'),
      version_of: readOptId(r, 'version_of'),
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

/** Every agent → relay frame type the parser knows. */
export const AGENT_FRAME_TYPES: readonly AgentToRelayFrame['type'][] = /* @__PURE__ */ frameTypes(defaultAgentHandlers);

/** Every relay → agent frame type the parser knows. */
export const RELAY_TO_AGENT_FRAME_TYPES: readonly RelayToAgentFrame['type'][] =
  /* @__PURE__ */ frameTypes(relayToAgentHandlers);
