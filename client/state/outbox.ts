/** The wire frames for queued outbox entries (files to base64, the context that travels with a send). */

import type {
  ActionFrame,
  AnswerFrame,
  Attachment,
  ChatMessage,
  ContextMessage,
  DeleteFrame,
  ImportFrame,
  Limits,
  SendFrame,
  WorkspaceWriteFrame,
} from '../../shared/index.ts';
import { toShared } from './apply-event.ts';
import { wireAttachmentId } from './attachment-ids.ts';
import type { DbReader } from './db.ts';
import type { LocalMessage, OutboxEntry } from './types.ts';

type SendEntry = Extract<OutboxEntry, { kind: 'send' }>;

/** How many earlier messages travel with a send, at most. */
export const CONTEXT_MESSAGES = 50;

export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Messages before `before` that the agent should see, oldest first, within the relay's limits. */
export function buildContext(
  messages: LocalMessage[],
  before: LocalMessage | undefined,
  limits: Limits,
): ContextMessage[] {
  const end = before ? messages.findIndex((m) => m.id === before.id) : messages.length;
  const usable = messages
    .slice(0, end < 0 ? messages.length : end)
    .filter((m) => m.text.trim() !== '' && m.state !== 'pending' && m.state !== 'failed');
  const out: ContextMessage[] = [];
  let chars = 0;
  const max = Math.min(CONTEXT_MESSAGES, limits.maxContextMessages);
  for (let i = usable.length - 1; i >= 0 && out.length < max; i--) {
    const m = usable[i];
    if (!m) continue;
    const text = m.text.slice(0, limits.maxTextChars);
    if (chars + text.length > limits.maxContextChars) break;
    chars += text.length;
    out.unshift({ role: m.role, text });
  }
  return out;
}

function sendFrame(entry: SendEntry, context: ContextMessage[], attachments: Attachment[]): SendFrame {
  const frame: SendFrame = {
    type: 'send',
    chat_id: entry.chat_id,
    client_msg_id: entry.client_msg_id,
    text: entry.text,
  };
  if (attachments.length) frame.attachments = attachments;
  if (context.length) frame.context = context;
  if (entry.model) frame.model = entry.model;
  if (entry.settings && Object.keys(entry.settings).length) frame.settings = entry.settings;
  if (entry.regenerate) frame.regenerate = entry.regenerate;
  if (entry.version_of) frame.version_of = entry.version_of;
  if (entry.reply_to) frame.reply_to = entry.reply_to;
  return frame;
}

function deleteFrame(entry: Extract<OutboxEntry, { kind: 'delete' }>): DeleteFrame {
  const { chat_id, client_msg_id, message_id } = entry;
  return { type: 'delete', chat_id, client_msg_id, message_id } satisfies DeleteFrame;
}

function actionFrame(entry: Extract<OutboxEntry, { kind: 'action' }>): ActionFrame {
  const { chat_id, client_msg_id, message_id, action_id } = entry;
  return { type: 'action', chat_id, client_msg_id, message_id, action_id } satisfies ActionFrame;
}

function answerFrame(entry: Extract<OutboxEntry, { kind: 'answer' }>): AnswerFrame {
  const { chat_id, client_msg_id, message_id, request_id, answer, device } = entry;
  const frame: AnswerFrame = { type: 'answer', chat_id, client_msg_id, message_id, request_id, answer };
  if (device) frame.device = device;
  return frame;
}

function workspaceFrame(entry: Extract<OutboxEntry, { kind: 'workspace' }>): WorkspaceWriteFrame {
  const { chat_id, client_msg_id, changes } = entry;
  return { type: 'workspace_write', chat_id, client_msg_id, changes } satisfies WorkspaceWriteFrame;
}

export type OutboxFrame = SendFrame | ActionFrame | AnswerFrame | WorkspaceWriteFrame | ImportFrame | DeleteFrame;

/** The frame for a queued entry without files, built synchronously so it can leave in the task that wrote it. */
export function textFrame(entry: OutboxEntry, context: ContextMessage[]): OutboxFrame | undefined {
  if (entry.kind === 'action') return actionFrame(entry);
  if (entry.kind === 'answer') return answerFrame(entry);
  if (entry.kind === 'workspace') return workspaceFrame(entry);
  if (entry.kind === 'delete') return deleteFrame(entry);
  // An import's messages are read from the database when it leaves.
  if (entry.kind === 'import') return undefined;
  return entry.attachment_ids.length ? undefined : sendFrame(entry, context, []);
}

/** The frame for any queued entry: attachments read from the database and base64-encoded. */
export async function toFrame(
  entry: OutboxEntry,
  db: Pick<DbReader, 'getAttachment' | 'getMessage'> | null,
  context: ContextMessage[],
  /** The relay's epoch: an imported message stamped with it came from this relay, which has it already. */
  epoch?: string,
): Promise<OutboxFrame> {
  if (entry.kind === 'action') return actionFrame(entry);
  if (entry.kind === 'answer') return answerFrame(entry);
  if (entry.kind === 'workspace') return workspaceFrame(entry);
  if (entry.kind === 'delete') return deleteFrame(entry);
  if (entry.kind === 'import') return importFrame(entry, db, epoch);
  const attachments: Attachment[] = [];
  for (const [i, key] of entry.attachment_ids.entries()) {
    const stored = await db?.getAttachment(key);
    if (!stored) continue;
    const { name, mime, size, blob } = stored;
    const id = wireAttachmentId(entry.client_msg_id, i);
    attachments.push({ id, name, mime, size, data: await blobToBase64(blob) });
  }
  return sendFrame(entry, context, attachments);
}

/**
 * An import's messages as the relay logs them, with their files' bytes: read from the database when the frame
 * leaves, so the queue holds ids only. A message gone since (deleted here before it left) is left out.
 */
async function importFrame(
  entry: Extract<OutboxEntry, { kind: 'import' }>,
  db: Pick<DbReader, 'getAttachment' | 'getMessage'> | null,
  epoch: string | undefined,
): Promise<ImportFrame> {
  const messages: ChatMessage[] = [];
  for (const id of entry.message_ids) {
    const m = await db?.getMessage(entry.chat_id, id);
    if (m && (epoch === undefined || m.epoch !== epoch)) messages.push(await sharedCopy(m, db));
  }
  return { type: 'import', chat_id: entry.chat_id, client_msg_id: entry.client_msg_id, messages };
}

/** A stored message as the relay keeps it (the reducer's copy, `toShared`), its files with their bytes. */
async function sharedCopy(m: LocalMessage, db: Pick<DbReader, 'getAttachment'> | null): Promise<ChatMessage> {
  // A protocol 1 message's own id for its files is this device's business, not the relay's.
  const { client_msg_id: _m, ...copy } = toShared(m) as ChatMessage & { client_msg_id?: string };
  const attachments = m.attachments;
  if (attachments?.length) {
    copy.attachments = [];
    for (const [i, a] of attachments.entries()) {
      const stored = await db?.getAttachment(a.id);
      if (!stored) continue;
      const data = await blobToBase64(stored.blob);
      copy.attachments.push({ id: wireAttachmentId(m.id, i), name: a.name, mime: a.mime, size: a.size, data });
    }
  }
  return copy;
}
