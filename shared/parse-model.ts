/** Runtime parsers for the data inside frames: attachments, buttons, messages, agent info, agent events. */

import type { AgentEvent, AgentEventType } from './agent-events.ts';
import type { ProtocolError, Result } from './errors.ts';
import { ATTACHMENT_MIME_TYPES, CHAT_ID_PATTERN, ID_PATTERN, LIMITS, MESSAGE_LIMITS, type Limits } from './limits.ts';
import type {
  AgentInfo,
  Attachment,
  Button,
  ChatMessage,
  ContextMessage,
  DataPart,
  Source,
  Step,
  ToolCall,
} from './model.ts';
import { CAPABILITIES } from './model.ts';
import { agentParamParser } from './parse/settings.ts';
import { MAX_PARAMS } from './settings.ts';
import { compact, objectParser, type ItemParser, type Reader, stringParser } from './reader.ts';
import { humanRequestParser, MAX_FORM_FIELDS, requestStateParser } from './parse/human-request.ts';
import type { HumanRequest } from './human-request.ts';
import { AGENT_TITLE_CHARS } from './workspace.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const SHORT = { max: LIMITS.maxLabelChars };
const ID = { max: 128, pattern: ID_PATTERN };
/** One event's text, and a tool call's arguments, output and result, can be long, but not unbounded. */
const LONG = { max: MESSAGE_LIMITS.maxEventChars };
const TOOL = { max: MESSAGE_LIMITS.maxToolChars };

export const readChatId = (r: Reader, key = 'chat_id'): string =>
  r.str(key, { max: 64, pattern: CHAT_ID_PATTERN, code: 'invalid_chat_id' });
export const readId = (r: Reader, key: string): string => r.str(key, ID);
export const readOptId = (r: Reader, key: string): string | undefined => r.optStr(key, ID);

/** Decoded size of a base64 string. */
export function base64Size(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

export function attachmentParser(limits: Limits = LIMITS): ItemParser<Attachment> {
  return (value, path) => {
    const parsed = objectParser((r) => {
      const a: Attachment = {
        id: readId(r, 'id'),
        name: r.str('name', { max: 255, min: 1 }),
        mime: r.str('mime', { max: 100 }).toLowerCase(),
        size: r.int('size'),
        data: r.str('data', { max: Math.ceil((limits.maxAttachmentBytes * 4) / 3) + 4, code: 'attachments_too_large' }),
      };
      if (r.error) return a;
      if (!ATTACHMENT_MIME_TYPES.includes(a.mime))
        r.fail('mime', `"${a.mime}" is not an accepted file type`, 'attachment_type');
      else if (a.data.length % 4 !== 0 || !BASE64.test(a.data)) r.fail('data', 'is not valid base64');
      else if (base64Size(a.data) !== a.size) r.fail('size', 'does not match the decoded data');
      else if (a.size > limits.maxAttachmentBytes)
        r.fail('size', `is over ${limits.maxAttachmentBytes} bytes`, 'attachments_too_large');
      return a;
    })(value, path);
    return parsed;
  };
}

export function checkAttachmentTotal(list: Attachment[] | undefined, limits: Limits): ProtocolError | undefined {
  const total = (list ?? []).reduce((n, a) => n + a.size, 0);
  if (total > limits.maxTotalAttachmentBytes) {
    return {
      code: 'attachments_too_large',
      message: `attachments total ${total} bytes, over ${limits.maxTotalAttachmentBytes}`,
    };
  }
  return undefined;
}

export const buttonParser: ItemParser<Button> = objectParser((r) => ({
  id: readId(r, 'id'),
  label: r.str('label', { max: LIMITS.maxLabelChars, min: 1 }),
}));

const buttonRowParser: ItemParser<Button[]> = (value, path) => {
  if (!Array.isArray(value) || value.length === 0 || value.length > LIMITS.maxButtons) {
    return { ok: false, error: { code: 'invalid_field', message: `${path} must be a non-empty array of buttons` } };
  }
  const row: Button[] = [];
  for (const [i, b] of value.entries()) {
    const r = buttonParser(b, `${path}[${i}]`);
    if (!r.ok) return r;
    row.push(r.value);
  }
  return { ok: true, value: row };
};

export function readButtons(r: Reader, key: string): Button[][] {
  const rows = r.arr(key, buttonRowParser, LIMITS.maxButtons);
  if (rows.flat().length > LIMITS.maxButtons) r.fail(key, `has more than ${LIMITS.maxButtons} buttons in all`);
  return rows;
}

export const toolCallParser: ItemParser<ToolCall> = objectParser((r) =>
  compact({
    call_id: readId(r, 'call_id'),
    name: r.str('name', SHORT),
    arguments: r.str('arguments', TOOL),
    output: r.str('output', TOOL),
    status: r.oneOf('status', ['running', 'done', 'error'] as const),
    result: r.optStr('result', TOOL),
  }),
);

export const stepParser: ItemParser<Step> = objectParser((r) => ({
  name: r.str('name', SHORT),
  status: r.oneOf('status', ['running', 'done', 'error'] as const),
}));

const URL_TEXT = { max: 4096 };

export const sourceParser: ItemParser<Source> = objectParser((r) =>
  compact({
    id: r.str('id', { max: 256, min: 1 }),
    url: r.optStr('url', URL_TEXT),
    title: r.optStr('title', { max: 1000 }),
    media_type: r.optStr('media_type', { max: 100 }),
    filename: r.optStr('filename', { max: 255 }),
  }),
);

export const dataPartParser: ItemParser<DataPart> = objectParser((r) =>
  compact({
    name: r.str('name', { ...SHORT, min: 1 }),
    id: r.optStr('id', { max: 256 }),
    data: r.str('data', LONG),
    transient: r.optBool('transient') === true ? true : undefined,
  }),
);

export const contextParser: ItemParser<ContextMessage> = objectParser((r) => ({
  role: r.oneOf('role', ['user', 'assistant', 'system'] as const),
  text: r.str('text', { max: LIMITS.maxContextChars, code: 'context_too_large' }),
}));

export function chatMessageParser(limits: Limits = LIMITS): ItemParser<ChatMessage> {
  return objectParser((r) =>
    compact({
      id: readId(r, 'id'),
      role: r.oneOf('role', ['user', 'assistant'] as const),
      text: r.str('text', { max: MESSAGE_LIMITS.maxMessageChars }),
      created_at: r.int('created_at'),
      turn_id: readOptId(r, 'turn_id'),
      status: r.optOneOf('status', ['done', 'stopped', 'error'] as const),
      error: r.optStr('error', { max: MESSAGE_LIMITS.maxErrorChars }),
      reasoning: r.optStr('reasoning', { max: MESSAGE_LIMITS.maxReasoningChars }),
      tools: r.optArr('tools', toolCallParser, MESSAGE_LIMITS.maxToolCalls),
      attachments: r.optArr('attachments', attachmentParser(limits), limits.maxAttachments, 'attachments_too_large'),
      buttons: r.has('buttons') ? readButtons(r, 'buttons') : undefined,
      used_actions: r.optArr('used_actions', stringParser(ID), LIMITS.maxButtons * LIMITS.maxButtons),
      edited_at: r.optInt('edited_at'),
      version_of: readOptId(r, 'version_of'),
      reply_to: readOptId(r, 'reply_to'),
      steps: r.optArr('steps', stepParser, MESSAGE_LIMITS.maxBlocks),
      agent_state: r.optStr('agent_state', LONG),
      sources: r.optArr('sources', sourceParser, MESSAGE_LIMITS.maxBlocks),
      data: r.optArr('data', dataPartParser, MESSAGE_LIMITS.maxBlocks),
      requests: r.optArr('requests', requestStateParser, MAX_REQUESTS),
    }),
  );
}

/** Requests one reply may raise. */
export const MAX_REQUESTS = MAX_FORM_FIELDS;

export const agentInfoParser: ItemParser<AgentInfo> = objectParser((r) =>
  compact({
    name: r.str('name', { ...SHORT, min: 1 }),
    capabilities: r.arr('capabilities', capabilityParser, CAPABILITIES.length * 2),
    models: r.optArr('models', stringParser(SHORT), 1000),
    model: r.optStr('model', SHORT),
    params: r.optArr('params', agentParamParser, MAX_PARAMS),
    online: r.bool('online'),
  }),
);

export const capabilityParser: ItemParser<AgentInfo['capabilities'][number]> = (value, path) => {
  const found = CAPABILITIES.find((c) => c === value);
  return found
    ? { ok: true, value: found }
    : { ok: false, error: { code: 'invalid_field', message: `${path} is not a known capability` } };
};

/** Reads the body of one agent event of a known type from `r`. */
export function readAgentEvent(type: AgentEventType, r: Reader, limits: Limits = LIMITS): AgentEvent {
  switch (type) {
    case 'delta':
    case 'reasoning_delta':
      return { type, text: r.str('text', LONG) };
    case 'tool_call':
      return { type, call_id: readId(r, 'call_id'), name: r.str('name', SHORT), arguments: r.str('arguments', LONG) };
    case 'tool_output':
      return { type, call_id: readId(r, 'call_id'), text: r.str('text', LONG) };
    case 'tool_result':
      return compact({
        type,
        call_id: readId(r, 'call_id'),
        status: r.oneOf('status', ['done', 'error'] as const),
        result: r.optStr('result', LONG),
      });
    case 'file':
      return { type, attachment: r.nested('attachment', attachmentParser(limits), placeholderAttachment) };
    case 'buttons':
      return { type, buttons: readButtons(r, 'buttons') };
    case 'typing':
      return { type, active: r.bool('active') };
    case 'message_edit':
      return { type, message_id: readId(r, 'message_id'), text: r.str('text', { max: MESSAGE_LIMITS.maxEditChars }) };
    case 'tool_args_delta':
      return { type, call_id: readId(r, 'call_id'), text: r.str('text', LONG) };
    case 'step':
      return {
        type,
        name: r.str('name', SHORT),
        status: r.oneOf('status', ['started', 'finished', 'failed'] as const),
      };
    case 'state_snapshot':
      return { type, state: r.str('state', LONG) };
    case 'source':
      return { type, source: r.nested('source', sourceParser, { id: '' }) };
    case 'data_part':
      return { type, part: r.nested('part', dataPartParser, { name: '', data: '' }) };
    case 'request':
      return { type, request: r.nested('request', humanRequestParser, placeholderRequest) };
    case 'title':
      return { type, title: r.str('title', { max: AGENT_TITLE_CHARS }).trim() };
  }
}

const placeholderRequest: HumanRequest = { kind: 'approval', id: '', tool: '', call_id: '', arguments: '' };

const placeholderAttachment: Attachment = { id: '', name: '', mime: '', size: 0, data: '' };

export type { Result };
