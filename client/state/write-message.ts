/** Writes a message the user just sent, in the task that sent it: shown at once, stored with its files, queued. */

import { rememberAttachment } from './attachment-urls.ts';
import type { ChatCache } from './chat-cache.ts';
import type { ChatStore } from './chat-store.ts';
import { attachmentId } from './attachment-ids.ts';
import { newId } from './ids.ts';
import type { AttachmentRef, LocalMessage, OutboxEntry, StoredAttachment } from './types.ts';
import type { TurnSettings } from '../../shared/settings.ts';

type SendEntry = Extract<OutboxEntry, { kind: 'send' }>;

/** A message the user just wrote: the pending copy shown at once, its outbox entry, and its files to store. */
export function userMessage(
  chatId: string,
  text: string,
  files: File[],
  now = Date.now(),
): { message: LocalMessage; entry: SendEntry; stored: StoredAttachment[] } {
  const id = newId('m');
  const stored: StoredAttachment[] = files.map((file, i) => ({
    id: attachmentId(chatId, id, i),
    name: file.name,
    mime: file.type,
    size: file.size,
    chat_id: chatId,
    blob: file,
  }));
  const refs: AttachmentRef[] = stored.map(({ id: aid, name, mime, size }) => ({ id: aid, name, mime, size }));
  const message: LocalMessage = {
    chat_id: chatId,
    id,
    client_msg_id: id,
    role: 'user',
    text,
    created_at: now,
    state: 'pending',
  };
  if (refs.length) message.attachments = refs;
  const attachment_ids = refs.map((r) => r.id);
  const entry: SendEntry = { kind: 'send', chat_id: chatId, client_msg_id: id, text, attachment_ids, created_at: now };
  return { message, entry, stored };
}

/** Where a new message goes among versions: an edit names the message it is a new version of. */
export interface Placement {
  versionOf?: string;
}

/**
 * An edit is a version of the edited message's group (and hangs where the group does). Anything else, in a chat
 * with versions, names the message it follows: the end of the branch shown, which need not be the log's last.
 */
function placement(cache: ChatCache, place: Placement): { version_of?: string; reply_to?: string } {
  if (place.versionOf !== undefined) {
    const edited = cache.get(place.versionOf);
    return { version_of: edited?.version_of ?? place.versionOf };
  }
  if (!cache.versions.size) return {};
  const last = cache.branch[cache.branch.length - 1];
  return last ? { reply_to: last.id } : {};
}

export interface WrittenMessage {
  /** The queued frames: the message's, then the workspace's note of the chat's activity. */
  entries: OutboxEntry[];
  /** Settles when the transaction that holds them all has committed. */
  written: Promise<void>;
}

/**
 * The pending copy is in the chat before this returns, and the one transaction (the message, its files, its queued
 * frame, the session and the draft the composer held) is issued: nothing waits for the history or the relay.
 */
export function writeMessage(
  store: ChatStore,
  chatId: string,
  text: string,
  files: File[],
  model = '',
  settings: TurnSettings = {},
  place: Placement = {},
): WrittenMessage {
  const cache = store.chat(chatId);
  const { message, entry, stored } = userMessage(chatId, text, files);
  if (model) entry.model = model;
  if (Object.keys(settings).length) entry.settings = settings;
  const { version_of, reply_to } = placement(cache, place);
  if (version_of) message.version_of = entry.version_of = version_of;
  if (reply_to) message.reply_to = entry.reply_to = reply_to;
  for (const a of stored) rememberAttachment(a.id, a.blob);
  cache.upsertLocal(message, false);
  // The workspace learns of the chat's activity (and of the chat, the first time) in the same transaction.
  const noted = store.book.prepare(chatId, store.book.sendFields(chatId, message));
  const written = store.data.commit({
    messages: [message],
    attachments: stored,
    queue: [entry, ...noted.entries],
    sessions: [store.touched(chatId, message)],
    drafts: [{ chat_id: chatId, text: '' }],
    ...(noted.change.workspace ? { workspace: noted.change.workspace } : {}),
    announce: true,
  });
  return { entries: [entry, ...noted.entries], written };
}
