/** Where a stored file's identity comes from: its chat, the message that carries it and its place there — never the sender's id. */

import type { AttachmentRef, LocalMessage } from './types.ts';

/**
 * The message a file belongs to, by its id (the same on the pending copy and the relay's). A message stored under
 * protocol 1, whose relay copy had an id of its own, keeps naming its files by the id its sender chose.
 */
export function fileOwner(m: Pick<LocalMessage, 'id' | 'client_msg_id'>): string {
  return m.client_msg_id ?? m.id;
}

/**
 * A file's id on this device. An agent may send the same attachment id in every chat (the demo does); '/' is in
 * neither chat ids nor message ids, so distinct (chat, message, place) never share an id.
 */
export function attachmentId(chatId: string, owner: string, index: number): string {
  return `${chatId}/${owner}/${index}`;
}

/** The id a file of the user's own message travels under (the wire grammar has no '/'). */
export function wireAttachmentId(owner: string, index: number): string {
  return `${owner}.${index}`;
}

/**
 * A chat's messages with their files renamed to the ids above, and the files under their new ids, looked up by
 * their old ids (which may collide with other chats', as older versions and foreign exports have them).
 */
export function renameFiles<F extends { id: string; chat_id: string }>(
  chatId: string,
  messages: LocalMessage[],
  fileById: (id: string) => F | undefined,
): { messages: LocalMessage[]; files: F[] } {
  const files: F[] = [];
  const out = messages.map((m) => {
    if (!m.attachments?.length) return m;
    const owner = fileOwner(m);
    const attachments = m.attachments.map((a, i): AttachmentRef => {
      const id = attachmentId(chatId, owner, i);
      const file = fileById(a.id);
      if (file) files.push({ ...file, id, chat_id: chatId });
      return { ...a, id };
    });
    return { ...m, attachments };
  });
  return { messages: out, files };
}
