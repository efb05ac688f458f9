/** The ack, the `turn_end` and the refusals every backend and the turn runner send, each built in one place. */

import type { AckFrame, ErrorFrame, TurnEndEvent, TurnStatus } from '../../shared/index.ts';
import type { Outcome } from './chat-backend.ts';

/** A `turn_end` before its backend stamps the chat, seq and epoch on it. */
export type TurnEnd = Omit<TurnEndEvent, 'seq' | 'epoch' | 'chat_id'>;

/** What a `send` or a button press is answered with once it is stored at `seq`. */
export function ackFrame(chatId: string, clientMsgId: string, messageId: string, seq: number): AckFrame {
  return { type: 'ack', chat_id: chatId, client_msg_id: clientMsgId, message_id: messageId, seq };
}

/** A turn's end, as every client is told it; folding it into the reply (`foldEvent`) closes what still runs. */
export function turnEnd(turn: { turn_id: string; message_id: string }, status: TurnStatus, error?: string): TurnEnd {
  const { turn_id, message_id } = turn;
  return { type: 'turn_end', turn_id, message_id, status, ...(error === undefined ? {} : { error }) };
}

/**
 * Tells a chat's clients here that its running reply stopped because the history could not be written (a full disk,
 * shared storage out of reach): no `turn_end` can be kept yet, so none is sent; one follows once the store is back.
 */
export function cutOffNotice(chatId: string, why: string): ErrorFrame {
  return { type: 'error', code: 'storage_unavailable', chat_id: chatId, message: why };
}

/** The requests a backend refuses, with the texts users read (the same on every backend). */
export const REFUSALS = {
  buttonGone: { ok: false, code: 'unknown_action', message: 'that button is no longer available' },
  buttonUsed: { ok: false, code: 'unknown_action', message: 'that button was already pressed' },
  requestGone: { ok: false, code: 'unknown_request', message: 'the agent asked no such question in this chat' },
  requestNotOpen: {
    ok: false,
    code: 'request_closed',
    message: 'that request opens when the reply asking it ends; answer it then',
  },
  requestAnswered: {
    ok: false,
    code: 'request_answered',
    message: 'that was already answered (the first answer counts)',
  },
  requestExpired: { ok: false, code: 'request_closed', message: 'that request has expired; it takes no answer now' },
  requestCancelled: {
    ok: false,
    code: 'request_closed',
    message: 'that request was cancelled: the reply that asked it was stopped or failed',
  },
  storageDown: {
    ok: false,
    code: 'storage_unavailable',
    message: 'The relay cannot reach its shared storage right now; your message was not accepted. It will be retried.',
  },
  historyDown: {
    ok: false,
    code: 'storage_unavailable',
    message: 'The relay cannot write its chat history right now; your message was not accepted. It will be retried.',
  },
} as const satisfies Record<string, Outcome>;
