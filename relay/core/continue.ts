/**
 * Continuing a reply that was stopped or failed (the `continue` frame): a new turn on the user message the reply
 * answered, whose context ends with the partial reply as an assistant message, so the agent picks up where it left
 * off and writes a new reply. It goes through the backend's `send`, like any turn, on either backend.
 */

import { foldEvent, foldTarget, type ChatEvent, type ChatMessage, type ContinueFrame } from '../../shared/index.ts';
import { StorageUnavailable, type ChatBackend, type Outcome } from './chat-backend.ts';
import { REFUSALS } from './frames.ts';
import { newMessageId, newTurnId } from './ids.ts';

/**
 * The newest copy of message `id` in a chat's events (a replay), edits and presses folded in; a retracted one is
 * gone. Like the in-process log's `findMessage`, it does not look inside `imported` events.
 */
export function messageIn(events: readonly ChatEvent[], id: string): ChatMessage | undefined {
  let message: ChatMessage | undefined;
  for (const event of events) if (foldTarget(event) === id) message = foldEvent(message, event, event.seq);
  return message;
}

/** Why `reply` cannot be continued, or undefined when it can. */
export function continueProblem(id: string, reply: ChatMessage | undefined): string | undefined {
  if (!reply) return `no message ${id} in this chat`;
  if (reply.role !== 'assistant') return `${id} is not a reply`;
  if (reply.status !== 'stopped' && reply.status !== 'error')
    return `${id} ${reply.status === undefined ? 'is still running' : 'ended complete'}; only a stopped or failed reply continues`;
  return undefined;
}

const refuse = (message: string): Outcome => ({ ok: false, code: 'cannot_continue', message });

/**
 * Queues the turn that continues `frame.message_id`. The reply itself is logged again unchanged (the event the ack
 * names; folding it changes nothing), so a resend of the frame gets the first ack, as a resent `send` does.
 */
export async function continueReply(backend: ChatBackend, frame: ContinueFrame): Promise<Outcome> {
  let reply: ChatMessage | undefined;
  let question: ChatMessage | undefined;
  try {
    reply = await backend.findMessage(frame.chat_id, frame.message_id);
    const problem = continueProblem(frame.message_id, reply);
    if (problem || !reply) return refuse(problem ?? '');
    question = reply.reply_to === undefined ? undefined : await backend.findMessage(frame.chat_id, reply.reply_to);
  } catch (err) {
    if (err instanceof StorageUnavailable) return REFUSALS.historyDown;
    throw err;
  }
  if (question?.role !== 'user') return refuse(`the message ${frame.message_id} answered is no longer known`);
  const model = frame.settings?.model;
  return backend.send({
    chatId: frame.chat_id,
    clientMsgId: frame.client_msg_id,
    message: reply,
    turn: {
      chat_id: frame.chat_id,
      turn_id: newTurnId(),
      message_id: newMessageId(),
      input: { kind: 'message', message: question },
      context: [...(frame.context ?? []), { role: 'assistant', text: reply.text }],
      ...(model !== undefined ? { model } : {}),
      ...(frame.settings ? { settings: frame.settings } : {}),
      continues: reply.id,
    },
  });
}
