/** A deterministic chat history of any length, as the client stores it (LocalMessage records). */

import type { LocalMessage } from '../../client/state/types.ts';
import { markdownSample } from './markdown-sample.ts';

const REPLY = markdownSample(4000);

/** Alternating user and assistant messages, oldest first; the newest (an assistant reply) contains `marker`. */
export function history(chatId: string, count: number, marker: string, start = Date.UTC(2025, 0, 1)): LocalMessage[] {
  const out: LocalMessage[] = [];
  for (let i = 0; i < count; i++) {
    const user = i % 2 === count % 2;
    const created_at = start + i * 60_000;
    const id = `${chatId}-${String(i).padStart(5, '0')}`;
    const last = i === count - 1;
    // Replies of 300 to 1,500 characters cut from the sample, so blocks differ from message to message.
    const from = (i * 337) % 2400;
    const text = user
      ? `Question ${i}: how does the relay handle a reconnect in the middle of a reply?`
      : `${REPLY.slice(from, from + 300 + ((i * 97) % 1200))}\n\nReply ${i}.${last ? ` ${marker}` : ''}`;
    out.push(
      user
        ? { chat_id: chatId, id, role: 'user', text, created_at, state: 'sent', client_msg_id: id }
        : { chat_id: chatId, id, role: 'assistant', text, created_at, state: 'done', turn_id: `t-${id}` },
    );
  }
  return out;
}
