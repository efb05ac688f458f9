/** A relay frame the client's parser refused, read as far as it safely can: enough to show in its chat that something is missing. */

import { CHAT_ID_PATTERN, ID_PATTERN, type ProtocolError, type Role } from '../../shared/index.ts';
import { isObject } from '../../shared/reader.ts';

/** Takes the place of a chat event the parser refused, with the same place in the chat's stream. */
export interface UnreadableEvent {
  type: 'unreadable';
  chat_id: string;
  epoch: string;
  seq: number;
  /** The message the frame carried (`message`) or was writing (a turn event), when its id could be read. */
  message_id?: string;
  role: Role;
  /** The relay's time of a whole message, when it could be read. */
  created_at?: number;
  reason: string;
}

/** The chat event a refused frame was, if it names a chat and a place in its stream; undefined for anything else. */
export function salvageEvent(raw: string, error: ProtocolError): UnreadableEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(data)) return undefined;
  const { chat_id: chatId, epoch, seq } = data;
  if (typeof chatId !== 'string' || !CHAT_ID_PATTERN.test(chatId)) return undefined;
  if (typeof epoch !== 'string' || epoch.length > 64 || typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
    return undefined;
  }
  const message = isObject(data['message']) ? data['message'] : undefined;
  const id: unknown = message ? message['id'] : data['message_id'];
  const time: unknown = message?.['created_at'];
  const out: UnreadableEvent = {
    type: 'unreadable',
    chat_id: chatId,
    epoch,
    seq,
    role: message?.['role'] === 'user' ? 'user' : 'assistant',
    reason: error.message,
  };
  if (typeof id === 'string' && ID_PATTERN.test(id)) out.message_id = id;
  if (typeof time === 'number' && Number.isFinite(time) && time >= 0) out.created_at = time;
  return out;
}
