/** Frames the relay sends to browser clients: connection frames and sequenced chat events. */

import type { AgentEvent, DeltaEvent, MessageEditEvent, ReasoningDeltaEvent } from './agent-events.ts';
import type { ErrorCode } from './errors.ts';
import type { AnsweredBy, HumanAnswer } from './human-request.ts';
import type { Limits } from './limits.ts';
import type { AgentInfo, ChatMessage, TurnStatus } from './model.ts';
import type { WorkspaceChange } from './workspace.ts';

/** First frame on every client connection. */
export interface ReadyFrame {
  type: 'ready';
  protocol: number;
  /** Changes whenever the relay loses its replay state (a restart without shared storage). */
  epoch: string;
  client_id: string;
  agent: AgentInfo;
  limits: Limits;
  /** Frames a second (and in a burst) this connection may send; a client paces its subscribes within it. */
  rate: FrameRate;
  /** The workspace channel's chat id, when the relay keeps a workspace (absent: it does not; send no workspace frames). */
  workspace?: string;
}

export interface FrameRate {
  per_second: number;
  burst: number;
}

/** Answer to `subscribe`; the replayed events (if any) follow it, then live events. */
export interface SubscribedFrame {
  type: 'subscribed';
  chat_id: string;
  epoch: string;
  /** The seq of the newest event in the chat; the replay ends there. */
  head_seq: number;
  /** False when the relay could not replay everything after the requested point. */
  recovered: boolean;
}

export interface UnsubscribedFrame {
  type: 'unsubscribed';
  chat_id: string;
}

/** The relay accepted a `send` or `action`; the same ack is repeated for a resend. */
export interface AckFrame {
  type: 'ack';
  chat_id: string;
  client_msg_id: string;
  message_id: string;
  seq: number;
}

/** The agent changed (name, models, online); sent to every connection. */
export interface AgentStateFrame {
  type: 'agent_state';
  agent: AgentInfo;
}

export interface HistoryResultFrame {
  type: 'history_result';
  chat_id: string;
  request_id: string;
  messages: ChatMessage[];
  /** True when there is nothing older. */
  complete: boolean;
}

export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  chat_id?: string;
  /** The `client_msg_id` / `request_id` of the request this answers, when it had one. */
  ref?: string;
}

export interface PongFrame {
  type: 'pong';
  nonce?: string;
}

/** Fields the relay stamps on every fanned-out chat event. */
export interface Sequenced {
  chat_id: string;
  /** Per-chat, starts at 1, increases by exactly 1 per live event. */
  seq: number;
  epoch: string;
}

/** Fields every event inside a turn carries. */
export interface InTurn {
  turn_id: string;
  /** The assistant message the turn is writing. */
  message_id: string;
}

/** A whole message: a user's send, or a finished turn compacted into one frame. */
export interface MessageEvent extends Sequenced {
  type: 'message';
  message: ChatMessage;
}

export interface TurnStartEvent extends Sequenced, InTurn {
  type: 'turn_start';
  /** The user message (or pressed button's message) that started the turn. */
  reply_to: string;
  /** The reply is a new version of this message (the id of its group's first message). */
  version_of?: string;
  /** When the turn began, in relay time: the reply's `created_at` in every copy, live or compacted. */
  created_at: number;
}

export interface TurnEndEvent extends Sequenced, InTurn {
  type: 'turn_end';
  status: TurnStatus;
  error?: string;
}

/** A button was pressed (by any client); mark it used everywhere. */
export interface ActionUsedEvent extends Sequenced {
  type: 'action_used';
  message_id: string;
  action_id: string;
}

/** A message was deleted (a `delete` frame): every device removes it. */
export interface RetractEvent extends Sequenced {
  type: 'retract';
  message_id: string;
}

/**
 * A reply was asked for again (a `send` with `regenerate`): the turn that follows writes a new version of
 * `replaces`, answering `message_id`. The old reply stays, as another version; this event changes no message.
 */
export interface RegenerateEvent extends Sequenced {
  type: 'regenerate';
  message_id: string;
  replaces: string;
}

/**
 * Messages a device imported from a file (an `import` frame). Each is added where the chat does not hold its id yet;
 * a message the chat already has stays as it is, so an import never rewrites what the relay logged.
 */
export interface ImportedEvent extends Sequenced {
  type: 'imported';
  messages: ChatMessage[];
}

/** The agent replaced the text of an earlier message (seed 000's `edit_message`). */
export interface MessageEditChatEvent extends MessageEditEvent, Sequenced {
  edited_at: number;
}

/** Fields of the workspace written by some device (one `workspace_write`), in the workspace channel. */
export interface WorkspaceEvent extends Sequenced {
  type: 'workspace';
  changes: WorkspaceChange[];
}

/** Output of a running turn, building the turn's own message. */
export type TurnOutputEvent = Exclude<AgentEvent, MessageEditEvent> & Sequenced & InTurn;

/** A request of the agent's was answered (first answer wins): every tab and device shows it answered, and by whom. */
export interface RequestAnsweredEvent extends Sequenced {
  type: 'request_answered';
  message_id: string;
  request_id: string;
  answer: HumanAnswer;
  answered_by: AnsweredBy;
  /** Relay time. */
  answered_at: number;
}

export type ChatEvent =
  | MessageEvent
  | TurnStartEvent
  | TurnEndEvent
  | ActionUsedEvent
  | MessageEditChatEvent
  | RetractEvent
  | RegenerateEvent
  | TurnOutputEvent
  | RequestAnsweredEvent
  | WorkspaceEvent
  | ImportedEvent;

export type RelayFrame =
  | ReadyFrame
  | SubscribedFrame
  | UnsubscribedFrame
  | AckFrame
  | AgentStateFrame
  | HistoryResultFrame
  | ErrorFrame
  | PongFrame
  | ChatEvent;

export type RelayFrameType = RelayFrame['type'];

/** A `delta` or `reasoning_delta` inside an `events` frame; with `parts`, several in a row merged into one text. */
export interface TextEntry<T extends 'delta' | 'reasoning_delta'> {
  type: T;
  text: string;
  /** The lengths (UTF-16 code units) of the merged events' texts, in order; at least two. */
  parts?: number[];
}

/** A turn output event as it rides inside an `events` frame: its turn's stamps are the frame's. */
export type CoalescedEntry =
  | Exclude<AgentEvent, MessageEditEvent | DeltaEvent | ReasoningDeltaEvent>
  | TextEntry<'delta'>
  | TextEntry<'reasoning_delta'>;

/**
 * Consecutive output events of one turn in one frame (protocol 2): they cover `seq`..`last_seq` with no
 * hole. A `delta` or `reasoning_delta` entry with `parts` stands for `parts.length` consecutive events of
 * its type whose texts, `parts[i]` UTF-16 code units each, follow one another in `text`. Clients unpack it
 * (`unpackEvents`) into the events it stands for, so nothing past the connection layer sees this frame.
 */
export interface EventsFrame extends Sequenced, InTurn {
  type: 'events';
  last_seq: number;
  events: CoalescedEntry[];
}

/** A frame as it travels: what clients handle (`RelayFrame`), or several of its chat events in one. */
export type RelayWireFrame = RelayFrame | EventsFrame;

const CONNECTION_FRAME_TYPES = new Set<RelayWireFrame['type']>([
  'ready',
  'subscribed',
  'unsubscribed',
  'ack',
  'agent_state',
  'history_result',
  'error',
  'pong',
  'events',
]);

/** True for the sequenced chat events (everything but the connection frames and the `events` envelope). */
export function isChatEvent(frame: RelayWireFrame): frame is ChatEvent {
  return !CONNECTION_FRAME_TYPES.has(frame.type);
}
