/** The relay's parser for frames from browser clients (the client itself never parses these). */

import type { ClientFrame, RegenerateRequest } from '../client-frames.ts';
import type { ChatMessage } from '../model.ts';
import type { Result } from '../errors.ts';
import { IMPORT_BATCH, LIMITS, type Limits } from '../limits.ts';
import {
  attachmentParser,
  chatMessageParser,
  checkAttachmentTotal,
  contextParser,
  readChatId,
  readId,
  readOptId,
} from '../parse-model.ts';
import { compact, objectParser } from '../reader.ts';
import { EPOCH, frameTypes, MODEL, parseWith, type Handlers } from './frame.ts';
import { DEVICE, humanAnswerParser } from './human-request.ts';
import { turnSettingsParser } from './settings.ts';
import { readChanges } from './workspace.ts';

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
        settings: r.has('settings') ? r.nested('settings', turnSettingsParser, {}) : undefined,
        regenerate: r.has('regenerate')
          ? r.nested('regenerate', regenerateParser, { message_id: '', replaces: '' })
          : undefined,
        version_of: readOptId(r, 'version_of'),
        reply_to: readOptId(r, 'reply_to'),
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
    continue: (r) => {
      const frame = compact({
        type: 'continue' as const,
        chat_id: readChatId(r),
        client_msg_id: readId(r, 'client_msg_id'),
        message_id: readId(r, 'message_id'),
        context: r.optArr('context', contextParser, limits.maxContextMessages, 'context_too_large'),
        settings: r.has('settings') ? r.nested('settings', turnSettingsParser, {}) : undefined,
      });
      const contextChars = (frame.context ?? []).reduce((n, m) => n + m.text.length, 0);
      if (contextChars > limits.maxContextChars)
        r.fail('context', `exceeds ${limits.maxContextChars} characters`, 'context_too_large');
      return frame;
    },
    delete: (r) => ({
      type: 'delete',
      chat_id: readChatId(r),
      client_msg_id: readId(r, 'client_msg_id'),
      message_id: readId(r, 'message_id'),
    }),
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
    answer: (r) =>
      compact({
        type: 'answer',
        chat_id: readChatId(r),
        client_msg_id: readId(r, 'client_msg_id'),
        message_id: readId(r, 'message_id'),
        request_id: readId(r, 'request_id'),
        answer: r.nested('answer', humanAnswerParser, { kind: 'decline' }),
        device: r.optStr('device', DEVICE),
      }),
    workspace_write: (r) => ({
      type: 'workspace_write',
      chat_id: readChatId(r),
      client_msg_id: readId(r, 'client_msg_id'),
      changes: readChanges(r),
    }),
    import: (r) => {
      const frame = {
        type: 'import' as const,
        chat_id: readChatId(r),
        client_msg_id: readId(r, 'client_msg_id'),
        messages: r.arr('messages', chatMessageParser(limits), IMPORT_BATCH),
      };
      if (!r.error) {
        const problem = importProblem(frame.messages);
        if (problem) r.fail(`messages[${problem.index}]`, problem.what);
      }
      return frame;
    },
  };
}

/** What makes an imported batch unloggable: an id twice, or a reply still streaming (nothing will ever end it). */
function importProblem(messages: readonly ChatMessage[]): { index: number; what: string } | undefined {
  if (messages.length === 0) return { index: 0, what: 'is missing: an import carries at least one message' };
  const seen = new Set<string>();
  for (const [index, m] of messages.entries()) {
    if (seen.has(m.id)) return { index, what: `repeats the id "${m.id}"` };
    seen.add(m.id);
    if (m.role === 'assistant' && m.status === undefined)
      return { index, what: 'is a reply with no status (unfinished)' };
  }
  return undefined;
}

const defaultClientHandlers = /* @__PURE__ */ clientHandlers(LIMITS);

/** Parses a frame from a browser client. Pass the relay's effective limits when they are lower. */
export function parseClientFrame(raw: string, limits?: Limits): Result<ClientFrame> {
  return parseWith(raw, 'client', limits ? clientHandlers(limits) : defaultClientHandlers);
}

/** Every client → relay frame type the parser knows. */
export const CLIENT_FRAME_TYPES: readonly ClientFrame['type'][] = /* @__PURE__ */ frameTypes(defaultClientHandlers);
