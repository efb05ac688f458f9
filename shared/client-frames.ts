/** Frames a browser client sends to the relay. */

import type { HumanAnswer } from './human-request.ts';
import type { Attachment, ChatMessage, ContextMessage } from './model.ts';
import type { TurnSettings } from './settings.ts';
import type { WorkspaceChange } from './workspace.ts';

/** Follow a chat; with `epoch` + `after_seq`, resume from that point. */
export interface SubscribeFrame {
  type: 'subscribe';
  chat_id: string;
  epoch?: string;
  after_seq?: number;
}

export interface UnsubscribeFrame {
  type: 'unsubscribe';
  chat_id: string;
}

/** Post a user message. Idempotent by (`chat_id`, `client_msg_id`). */
export interface SendFrame {
  type: 'send';
  chat_id: string;
  client_msg_id: string;
  text: string;
  attachments?: Attachment[];
  /** Prior messages, oldest first, for agents that keep no history. */
  context?: ContextMessage[];
  /** A model from `agent.models`, for this turn. */
  model?: string;
  /** The chat's settings (model, system prompt, advertised params) for this turn; checked against `agent.params`. */
  settings?: TurnSettings;
  /**
   * Answer an earlier user message again instead of posting a new one: the relay posts nothing from `text` but
   * logs a `regenerate` event (which is what the ack names) and runs a turn on the message `message_id`, with this
   * frame's text, files and context as its input. The reply it writes is a new version of `replaces`, which stays.
   */
  regenerate?: RegenerateRequest;
  /** Edit-and-resend: the new message is a version of this one (the id of its group's first message). */
  version_of?: string;
  /**
   * The message the new one follows, when that is not the chat's newest (the user switched to another version
   * of an earlier reply and went on from there). The relay copies it onto the message as `reply_to`.
   */
  reply_to?: string;
}

export interface RegenerateRequest {
  /** The user message to answer again; it keeps its id, time and pins everywhere. */
  message_id: string;
  /** The reply being replaced. */
  replaces: string;
}

/**
 * Continue a reply that was stopped or failed: the relay runs a turn on the user message that reply answered, with
 * this frame's context followed by the partial reply (as an assistant message), and the agent writes a new reply.
 * Idempotent by (`chat_id`, `client_msg_id`) like `send`; any other message is refused with `cannot_continue`.
 */
export interface ContinueFrame {
  type: 'continue';
  chat_id: string;
  client_msg_id: string;
  /** The reply to continue (its status `stopped` or `error`). */
  message_id: string;
  /** Prior messages, oldest first, up to (not including) the message the reply answered, as `send` carries them. */
  context?: ContextMessage[];
  /** The chat's settings for this turn, as on `send`. */
  settings?: TurnSettings;
}

/** Cancel the running turn (or the named one). */
export interface StopFrame {
  type: 'stop';
  chat_id: string;
  turn_id?: string;
}

/** A button press. Idempotent by (`chat_id`, `client_msg_id`), like `send`. */
export interface ActionFrame {
  type: 'action';
  chat_id: string;
  client_msg_id: string;
  message_id: string;
  action_id: string;
}

/** Ask the agent for its stored history of a chat (for gaps the replay cannot fill). */
export interface HistoryFrame {
  type: 'history';
  chat_id: string;
  request_id: string;
  /** Only messages older than this message id. */
  before?: string;
  limit?: number;
}

/** Application-level liveness check (browsers cannot see WebSocket pings). */
export interface PingFrame {
  type: 'ping';
  nonce?: string;
}

/**
 * The answer to an agent's request, pressed once like a button: idempotent by (`chat_id`, `client_msg_id`), and the
 * first answer to a request wins (a later one is refused with `request_answered`).
 */
export interface AnswerFrame {
  type: 'answer';
  chat_id: string;
  client_msg_id: string;
  /** The message holding the request. */
  message_id: string;
  request_id: string;
  answer: HumanAnswer;
  /** How this device names itself to the others ("Firefox on Android"). */
  device?: string;
}

/**
 * Writes fields of the workspace (`shared/workspace.ts`) to the workspace channel the relay named in `ready`.
 * Idempotent by (`chat_id`, `client_msg_id`) like `send`; the relay logs and fans it out as a `workspace` event
 * and acks it, never reading the changes.
 */
export interface WorkspaceWriteFrame {
  type: 'workspace_write';
  chat_id: string;
  client_msg_id: string;
  changes: WorkspaceChange[];
}

/**
 * Messages imported from a file on one device, shared with every other: the relay logs them as one `imported` event,
 * fans it out and acks it, never reading the messages past their shape. Idempotent by (`chat_id`, `client_msg_id`)
 * like `send`; at most `IMPORT_BATCH` messages, each with a distinct id, and every reply finished.
 */
export interface ImportFrame {
  type: 'import';
  chat_id: string;
  client_msg_id: string;
  messages: ChatMessage[];
}

/**
 * Delete a message on every device: the relay logs a `retract` for it. Idempotent by (`chat_id`, `client_msg_id`);
 * deleting a message the chat does not hold is acked too (another device deleted it first).
 */
export interface DeleteFrame {
  type: 'delete';
  chat_id: string;
  client_msg_id: string;
  message_id: string;
}

export type ClientFrame =
  | SubscribeFrame
  | UnsubscribeFrame
  | SendFrame
  | ContinueFrame
  | StopFrame
  | ActionFrame
  | HistoryFrame
  | PingFrame
  | AnswerFrame
  | WorkspaceWriteFrame
  | ImportFrame
  | DeleteFrame;

export type ClientFrameType = ClientFrame['type'];
