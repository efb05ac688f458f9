/**
 * Sharing chats imported from a file: a device's `import` frame becomes one `imported` event in the chat's history,
 * logged once per `client_msg_id` like a send and replayed like any event. The relay stores the messages by chat and
 * never reads them past the parser's shape check; which of them a chat takes is the fold's rule (`importedAdds`).
 */

import type { ChatMessage, ImportedEvent } from '../../shared/index.ts';

export interface ImportInput {
  chatId: string;
  clientMsgId: string;
  messages: ChatMessage[];
}

/** The event an import becomes, before its backend stamps chat, seq and epoch on it. */
export function importedEvent(input: ImportInput): Omit<ImportedEvent, 'seq' | 'epoch' | 'chat_id'> {
  return { type: 'imported', messages: input.messages };
}
