/** The export file: its typed shape (lossless: sessions, messages, pins, files as base64) and a validating parser. */

import { ATTACHMENT_MIME_TYPES, CHAT_ID_PATTERN, ID_PATTERN, LIMITS } from '../../shared/limits.ts';
import { MAX_REQUESTS, readButtons, toolCallParser } from '../../shared/parse-model.ts';
import { requestStateParser } from '../../shared/parse/human-request.ts';
import { compact, isObject, objectParser, stringParser, type ItemParser, type Reader } from '../../shared/reader.ts';
import type { LocalMessage, Pin, Session } from './types.ts';

export const EXPORT_FORMAT = 'parley-export';
export const EXPORT_VERSION = 1;

export interface ExportedAttachment {
  id: string;
  name: string;
  mime: string;
  size: number;
  /** The file's bytes, base64. */
  data: string;
}

export interface ExportedChat {
  session: Session;
  messages: LocalMessage[];
  pins: Pin[];
  attachments: ExportedAttachment[];
}

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exported_at: number;
  chats: ExportedChat[];
}

const ID = { max: 128, pattern: ID_PATTERN };
/** A file's id on the device that exported it (attachment-ids.ts); renamed again on import. */
const FILE_ID = { max: 400, pattern: /^[A-Za-z0-9_.:/-]{1,400}$/ };
const TEXT = { max: 4 * 1024 * 1024 };
const STATES = ['pending', 'sent', 'failed', 'streaming', 'done', 'stopped', 'error'] as const;

/**
 * A time in milliseconds. Not always whole: a live reply is placed half a millisecond after the newest
 * relay-stamped message (apply-event.ts), and a session's `updated_at` follows its newest message.
 */
function time(r: Reader, key: string): number {
  const v = r.raw(key);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER) return v;
  r.fail(key, v === undefined ? 'is required' : 'must be a time in milliseconds (a number, 0 or more)');
  return 0;
}

function optTime(r: Reader, key: string): number | undefined {
  return r.has(key) ? time(r, key) : undefined;
}

const sessionParser = objectParser<Session>((r) => ({
  id: r.str('id', { max: 64, pattern: CHAT_ID_PATTERN }),
  title: r.str('title', { max: 1000 }),
  titled: r.bool('titled'),
  pinned: r.bool('pinned'),
  created_at: time(r, 'created_at'),
  updated_at: time(r, 'updated_at'),
  preview: r.str('preview', { max: 1000 }),
}));

const refParser = objectParser((r) => ({
  id: r.str('id', FILE_ID),
  name: r.str('name', { max: 1000 }),
  mime: r.oneOf('mime', ATTACHMENT_MIME_TYPES),
  size: r.int('size', { min: 0, max: LIMITS.maxAttachmentBytes }),
}));

const attachmentParser = objectParser<ExportedAttachment>((r) => ({
  id: r.str('id', FILE_ID),
  name: r.str('name', { max: 1000 }),
  mime: r.oneOf('mime', ATTACHMENT_MIME_TYPES),
  size: r.int('size', { min: 0, max: LIMITS.maxAttachmentBytes }),
  data: r.str('data', { max: Math.ceil(LIMITS.maxAttachmentBytes / 3) * 4, pattern: /^[A-Za-z0-9+/]*={0,2}$/ }),
}));

function messageParser(chatId: string): ItemParser<LocalMessage> {
  return objectParser((r) => {
    const m: LocalMessage = compact({
      chat_id: r.str('chat_id', { max: 64, pattern: CHAT_ID_PATTERN }),
      id: r.str('id', ID),
      role: r.oneOf('role', ['user', 'assistant'] as const),
      text: r.str('text', TEXT),
      created_at: time(r, 'created_at'),
      state: r.oneOf('state', STATES),
      client_msg_id: r.optStr('client_msg_id', ID),
      turn_id: r.optStr('turn_id', ID),
      error: r.optStr('error', { max: 4000 }),
      reasoning: r.optStr('reasoning', TEXT),
      tools: r.optArr('tools', toolCallParser, 256),
      attachments: r.optArr('attachments', refParser, LIMITS.maxAttachments),
      buttons: r.has('buttons') ? readButtons(r, 'buttons') : undefined,
      used_actions: r.optArr('used_actions', stringParser(ID), LIMITS.maxButtons),
      edited_at: optTime(r, 'edited_at'),
      version_of: r.optStr('version_of', ID),
      reply_to: r.optStr('reply_to', ID),
      epoch: r.optStr('epoch', { max: 128 }),
      seq: r.optInt('seq', { min: 0 }),
      interrupted: r.optBool('interrupted'),
      unreadable: r.optBool('unreadable'),
      requests: r.optArr('requests', requestStateParser, MAX_REQUESTS),
    });
    if (m.chat_id !== chatId) r.fail('chat_id', `must be the chat's id (${chatId})`);
    return m;
  });
}

const pinParser = objectParser<Pin>((r) => ({
  chat_id: r.str('chat_id', { max: 64, pattern: CHAT_ID_PATTERN }),
  message_id: r.str('message_id', ID),
  pinned_at: time(r, 'pinned_at'),
}));

const chatParser: ItemParser<ExportedChat> = (value, path) => {
  if (!isObject(value)) return { ok: false, error: { code: 'invalid_field', message: `${path} must be an object` } };
  const session = sessionParser(value['session'], `${path}.session`);
  if (!session.ok) return session;
  const chatId = session.value.id;
  return objectParser((r) => ({
    session: session.value,
    messages: r.arr('messages', messageParser(chatId), 1_000_000),
    pins: r.arr('pins', pinParser, 1_000_000),
    attachments: r.arr('attachments', attachmentParser, 1_000_000),
  }))(value, path);
};

/** A readable reason why `text` is not a Parley export, or the export, fully checked. */
export function parseExport(text: string): { ok: true; value: ExportFile } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not JSON. Choose a file exported from Parley as JSON.' };
  }
  if (!isObject(json) || json['format'] !== EXPORT_FORMAT) {
    return { ok: false, error: 'This file is not a Parley export (its "format" is not "parley-export").' };
  }
  if (json['version'] !== EXPORT_VERSION) {
    return { ok: false, error: `This export has version ${String(json['version'])}; this Parley reads version 1.` };
  }
  const parsed = objectParser((r) => ({
    exported_at: time(r, 'exported_at'),
    chats: r.arr('chats', chatParser, 100_000),
  }))(json, 'file');
  if (!parsed.ok) return { ok: false, error: `This export is damaged: ${parsed.error.message}.` };
  const ids = new Set<string>();
  for (const chat of parsed.value.chats) {
    if (ids.has(chat.session.id)) return { ok: false, error: `This export lists chat ${chat.session.id} twice.` };
    ids.add(chat.session.id);
    const files = new Set(chat.attachments.map((a) => a.id));
    const missing = chat.messages.flatMap((m) => m.attachments ?? []).find((a) => !files.has(a.id));
    if (missing) return { ok: false, error: `This export is damaged: the file ${missing.name} is missing.` };
  }
  return { ok: true, value: { format: EXPORT_FORMAT, version: EXPORT_VERSION, ...parsed.value } };
}
