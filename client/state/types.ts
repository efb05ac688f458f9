/** The client's own records: what the database stores and what components render. */

import type {
  Button,
  DataPart,
  HumanAnswer,
  RegenerateRequest,
  RequestState,
  Role,
  Source,
  Step,
  ToolCall,
  TurnStatus,
  WorkspaceChange,
} from '../../shared/index.ts';
import type { TurnSettings } from '../../shared/settings.ts';

/** A file as the client keeps it: metadata here, the bytes as a Blob in the attachments store. */
export interface AttachmentRef {
  /** This device's id for the file, unique across chats and messages (see attachment-ids.ts). */
  id: string;
  name: string;
  mime: string;
  size: number;
}

/** An attachment's bytes, stored once per message and place; its chat's deletion deletes it. */
export interface StoredAttachment extends AttachmentRef {
  chat_id: string;
  blob: Blob;
}

/**
 * Where a message stands. User messages: `pending` (in the outbox) → `sent` (the relay has it),
 * or `failed` (rejected). Assistant messages: `streaming` → a turn status.
 */
export type MessageState = 'pending' | 'sent' | 'failed' | 'streaming' | TurnStatus;

/** A message of one chat, as the database stores it (idempotent by `chat_id` + `id`). */
export interface LocalMessage {
  chat_id: string;
  id: string;
  role: Role;
  text: string;
  created_at: number;
  state: MessageState;
  /**
   * Only on messages stored under protocol 1, whose relay copy got an id of its own: the id this client chose.
   * Their files are still named after it (attachment-ids.ts). Protocol 2 messages have one id.
   */
  client_msg_id?: string;
  turn_id?: string;
  error?: string;
  reasoning?: string;
  tools?: ToolCall[];
  attachments?: AttachmentRef[];
  buttons?: Button[][];
  used_actions?: string[];
  edited_at?: number;
  /** A version of another message: the id of its group's first message (versions.ts). */
  version_of?: string;
  /** The message this one answers (a reply) or follows (a message sent from a switched branch). */
  reply_to?: string;
  /** What framework agents send along (see ChatMessage): steps, their state as JSON, citations, data parts. */
  steps?: Step[];
  agent_state?: string;
  sources?: Source[];
  data?: DataPart[];
  /** The agent's requests in this reply (approvals, questions), with their answers once given. */
  requests?: RequestState[];
  /** The relay epoch and seq of the last event applied; an older write never overwrites a newer one. */
  epoch?: string;
  seq?: number;
  /** An assistant reply cut off because the relay lost its turn (a restart without shared storage). */
  interrupted?: boolean;
  /** The relay sent this message (or part of it) in a frame this client could not read; `error` says why. */
  unreadable?: boolean;
}

export interface Session {
  id: string;
  title: string;
  /** False until the user renames it; until then the first message names it. */
  titled: boolean;
  pinned: boolean;
  created_at: number;
  updated_at: number;
  preview: string;
}

/** A frame written while offline (or not yet acknowledged), sent in order when the relay is reachable. */
export type OutboxEntry =
  | {
      seq?: number;
      kind: 'send';
      chat_id: string;
      client_msg_id: string;
      text: string;
      attachment_ids: string[];
      /** A model from the agent's list, for this turn; absent means the agent's default. */
      model?: string;
      /** The chat's settings (workspace fields `setting/…`) when the message was written. */
      settings?: TurnSettings;
      /** Set when this answers an earlier message again: no message of its own is shown or posted. */
      regenerate?: RegenerateRequest;
      /** Edit-and-resend: a new version of this message's group. */
      version_of?: string;
      /** The message it follows, in a chat with versions (the branch it was written on). */
      reply_to?: string;
      created_at: number;
    }
  | {
      seq?: number;
      /** A message deleted here, for every device: sent once the undo window (`not_before`) has passed. */
      kind: 'delete';
      chat_id: string;
      client_msg_id: string;
      message_id: string;
      not_before: number;
      created_at: number;
    }
  | {
      seq?: number;
      kind: 'action';
      chat_id: string;
      client_msg_id: string;
      message_id: string;
      action_id: string;
      created_at: number;
    }
  | {
      seq?: number;
      kind: 'answer';
      chat_id: string;
      client_msg_id: string;
      message_id: string;
      request_id: string;
      answer: HumanAnswer;
      device?: string;
      created_at: number;
    }
  | {
      seq?: number;
      /** Fields of the workspace written on this device (a rename, a pin, a delete…), for the workspace channel. */
      kind: 'workspace';
      /** The workspace channel. */
      chat_id: string;
      client_msg_id: string;
      changes: WorkspaceChange[];
      created_at: number;
    }
  | {
      seq?: number;
      /** Messages an import added on this device, for the relay to share with the others (read when sent). */
      kind: 'import';
      chat_id: string;
      client_msg_id: string;
      message_ids: string[];
      created_at: number;
    };

/** How long a deleted message can be put back (the notice's Undo) before its deletion reaches other devices. */
export const UNDO_WINDOW_MS = 6000;

/** An answer to an agent's request waiting in the outbox, as a card shows it ("queued"). */
export interface QueuedAnswer {
  id: string;
  messageId: string;
  requestId: string;
  answer: HumanAnswer;
}

/** Where the client stands in a chat's event stream, to resume from after a reconnect. */
export interface ResumePoint {
  chat_id: string;
  epoch: string;
  seq: number;
}

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  relayUrl: string;
  token: string;
  /** An endpoint of the site's own backend that hands out single-use relay tokens (`POST`, `{"token": …}`). */
  tokenUrl: string;
  theme: Theme;
}

export const DEFAULT_SETTINGS: Settings = { relayUrl: '', token: '', tokenUrl: '', theme: 'system' };

export interface Pin {
  chat_id: string;
  message_id: string;
  pinned_at: number;
}

export interface Draft {
  chat_id: string;
  text: string;
  updated_at: number;
}
