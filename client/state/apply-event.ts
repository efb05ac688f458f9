/** Applies relay chat events to one chat's messages: upserts by id, so replays and other tabs converge. */

import { foldEvent, importedAdds, type Attachment, type ChatEvent, type ChatMessage } from '../../shared/index.ts';
import { attachmentId, fileOwner } from './attachment-ids.ts';
import { compareMessages } from './message-order.ts';
import type { AttachmentRef, LocalMessage, StoredAttachment } from './types.ts';
import type { UnreadableEvent } from './unreadable.ts';

/** The live, in-memory side of a chat that is not worth storing. */
export interface ChatLive {
  messages: Map<string, LocalMessage>;
  /** The turn running now, if any. */
  turn?: { turn_id: string; message_id: string };
  typing: boolean;
}

export interface Applied {
  changed: LocalMessage[];
  /** Ids of messages to delete (a withdrawn reply, or one a resent message replaces). */
  removed: string[];
  blobs: StoredAttachment[];
  /** A turn finished: announce it. */
  finished?: LocalMessage;
  /** A whole new message (a send, a compacted or finished reply): the chat's latest activity. */
  activity?: LocalMessage;
  /** The agent named the chat (its `title` event): the workspace's `agent_title` to write. */
  title?: string;
}

export function base64ToBlob(data: string, mime: string): Blob {
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

/** Files as the client stores them: named by their message and place (`first` onwards), not by the sender's id. */
function takeAttachments(
  chatId: string,
  owner: string,
  first: number,
  list: Attachment[] | undefined,
  out: StoredAttachment[],
): AttachmentRef[] {
  return (list ?? []).map(({ name, mime, size, data }, i) => {
    const id = attachmentId(chatId, owner, first + i);
    if (data) out.push({ id, name, mime, size, chat_id: chatId, blob: base64ToBlob(data, mime) });
    return { id, name, mime, size };
  });
}

/**
 * A relay ChatMessage as the client stores it (attachment bytes split off into `blobs`). `known` is this device's
 * copy of the same message: files it already stores (a sent message's own) are not stored twice.
 */
export function fromChatMessage(
  chatId: string,
  m: ChatMessage,
  blobs: StoredAttachment[],
  known?: LocalMessage,
): LocalMessage {
  const state = m.role === 'user' ? 'sent' : (m.status ?? 'done');
  const { attachments, status: _status, ...rest } = m;
  const local: LocalMessage = { ...rest, chat_id: chatId, state };
  if (attachments?.length) {
    const fresh: StoredAttachment[] = [];
    local.attachments = takeAttachments(chatId, fileOwner(m), 0, attachments, fresh);
    const stored = new Set(known?.attachments?.map((a) => a.id));
    blobs.push(...fresh.filter((b) => !stored.has(b.id)));
  }
  return local;
}

/**
 * A frame the parser refused: its message says what could not be shown instead of silently missing. What already
 * arrived of a reply stays; a whole message that could not be read becomes a placeholder in its place.
 */
export function applyUnreadable(live: ChatLive, event: UnreadableEvent, now = Date.now()): Applied {
  const id = event.message_id ?? `unreadable-${event.epoch}-${event.seq}`;
  const base: LocalMessage = live.messages.get(id) ?? {
    chat_id: event.chat_id,
    id,
    role: event.role,
    text: '',
    created_at: event.created_at ?? now,
    state: 'error',
  };
  const next: LocalMessage = {
    ...base,
    state: 'error',
    error: event.reason,
    unreadable: true,
    epoch: event.epoch,
    seq: event.seq,
  };
  live.messages.set(id, next);
  if (live.turn?.message_id === id) live.turn = undefined;
  return { changed: [next], removed: [], blobs: [] };
}

/** A stored message as the shared reducer sees it: its turn status, files without their bytes (kept as blobs). */
export function toShared(m: LocalMessage): ChatMessage {
  const {
    chat_id: _chat,
    state,
    epoch: _epoch,
    seq: _seq,
    interrupted: _cut,
    unreadable: _bad,
    attachments,
    ...rest
  } = m;
  const shared: ChatMessage = { ...rest };
  if (m.role === 'assistant' && (state === 'done' || state === 'stopped' || state === 'error')) shared.status = state;
  if (attachments) shared.attachments = attachments.map((a) => ({ ...a, data: '' }));
  return shared;
}

/** The reducer's result stored again, with what only this client knows about the message kept. */
function toLocal(chatId: string, m: ChatMessage, prev: LocalMessage | undefined): LocalMessage {
  const { status, attachments, ...rest } = m;
  const state = m.role === 'user' ? (prev?.state ?? 'sent') : (status ?? 'streaming');
  const local: LocalMessage = { ...rest, chat_id: chatId, state };
  if (prev?.interrupted) local.interrupted = true;
  if (prev?.unreadable) local.unreadable = true;
  if (attachments?.length) local.attachments = attachments.map(({ data: _data, ...ref }) => ref);
  return local;
}

/**
 * A streaming reply ended here, not by the relay (its turn was lost or cut off): folded as a `turn_end` would be, so
 * its running tools stop too. The stamps stay those of the last relay event the reply holds.
 */
export function endLocally(m: LocalMessage, error: string): LocalMessage {
  const ended = foldEvent(toShared(m), {
    type: 'turn_end',
    turn_id: m.turn_id ?? '',
    message_id: m.id,
    status: 'error',
    error,
  });
  return { ...toLocal(m.chat_id, ended, m), epoch: m.epoch, seq: m.seq };
}

/** A reply's new file as the reducer sees it: this device's id for it, its bytes moved into `blobs`. */
function withoutBytes(
  chatId: string,
  messageId: string,
  existing: LocalMessage | undefined,
  file: Attachment,
  blobs: StoredAttachment[],
): Attachment {
  const owner = fileOwner(existing ?? { id: messageId });
  const [ref = file] = takeAttachments(chatId, owner, existing?.attachments?.length ?? 0, [file], blobs);
  return { ...ref, data: '' };
}

/**
 * Whether `m` already holds `event`: each message keeps the (epoch, seq) of the last event folded into it, and a
 * message's events come in seq order. This makes a replay that starts before what is stored harmless (another tab
 * may have written newer messages than the cursor this tab read).
 */
function holds(m: LocalMessage | undefined, event: ChatEvent): boolean {
  return m !== undefined && m.epoch === event.epoch && m.seq !== undefined && m.seq >= event.seq;
}

/** Applies one event. Never mutates a message in place: changed messages are new objects (for Lit). */
export function applyEvent(live: ChatLive, event: ChatEvent, now = Date.now()): Applied {
  const out: Applied = { changed: [], removed: [], blobs: [] };
  const stamp = { epoch: event.epoch, seq: event.seq };
  const put = (m: LocalMessage) => {
    const next = { ...m, ...stamp };
    live.messages.set(next.id, next);
    out.changed.push(next);
    return next;
  };

  if (event.type === 'message') {
    const known = live.messages.get(event.message.id);
    if (holds(known, event)) return out;
    const msg = fromChatMessage(event.chat_id, event.message, out.blobs, known);
    // The relay lost this message in a restart and it was sent again: the reply it cut off is replaced. That reply
    // comes after it in display order: its turn may have begun in the same millisecond the relay took the message.
    if (known?.epoch !== undefined && known.epoch !== event.epoch) {
      for (const m of [...live.messages.values()]) {
        if (m.interrupted && compareMessages(known, m) < 0) {
          live.messages.delete(m.id);
          out.removed.push(m.id);
        }
      }
    }
    out.activity = put(msg);
    if (live.turn?.message_id === msg.id && msg.state !== 'streaming') live.turn = undefined;
    return out;
  }
  if (event.type === 'typing') {
    live.typing = event.active;
    return out;
  }
  // The workspace channel's events are the workspace's (workspace-sync.ts), never a chat's messages.
  if (event.type === 'workspace') return out;
  // Messages another device imported: added where this chat lacks them. They are old news, not activity.
  if (event.type === 'imported') {
    for (const m of importedAdds(event, (id) => live.messages.has(id)))
      put(fromChatMessage(event.chat_id, m, out.blobs));
    return out;
  }
  // A reply asked for again: the new version arrives with its own turn; the old one stays.
  if (event.type === 'regenerate') return out;
  if (event.type === 'retract') {
    // A deleted message: gone on every device, wherever this one stands in the stream (and stored or not).
    live.messages.delete(event.message_id);
    out.removed.push(event.message_id);
    if (live.turn?.message_id === event.message_id) live.turn = undefined;
    return out;
  }

  if (event.type === 'turn_start') live.turn = { turn_id: event.turn_id, message_id: event.message_id };
  const existing = live.messages.get(event.message_id);
  if (holds(existing, event)) return out;
  if (event.type === 'title') {
    out.title = event.title;
    return out;
  }
  const before = existing && toShared(existing);
  // A file's bytes become a blob named by its message and place; the reducer sees only the file's metadata.
  const files: StoredAttachment[] = [];
  const folded =
    event.type === 'file'
      ? { ...event, attachment: withoutBytes(event.chat_id, event.message_id, existing, event.attachment, files) }
      : event;
  // A reply is stamped by its turn_start (relay time); `now` only places one whose turn_start never arrived.
  const after = foldEvent(before, folded, now);
  // Unchanged: an unknown target, a press already marked, or a late event for a turn that already ended.
  if (!after || after === before) return out;
  out.blobs.push(...files);
  const next = put(toLocal(event.chat_id, after, existing));
  if (
    event.type === 'action_used' ||
    event.type === 'message_edit' ||
    event.type === 'turn_start' ||
    event.type === 'request_answered'
  )
    return out;
  if (event.type === 'turn_end') {
    live.turn = undefined;
    live.typing = false;
    out.finished = out.activity = next;
  } else {
    live.turn ??= { turn_id: event.turn_id, message_id: event.message_id };
    if (event.type === 'delta') live.typing = false;
  }
  return out;
}
