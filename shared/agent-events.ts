/** What an agent produces during a turn, before the relay stamps chat, turn and seq on it. */

import type { HumanRequest } from './human-request.ts';
import type { Attachment, Button } from './model.ts';

export interface DeltaEvent {
  type: 'delta';
  text: string;
}

export interface ReasoningDeltaEvent {
  type: 'reasoning_delta';
  text: string;
}

export interface ToolCallEvent {
  type: 'tool_call';
  call_id: string;
  name: string;
  arguments: string;
}

export interface ToolOutputEvent {
  type: 'tool_output';
  call_id: string;
  text: string;
}

export interface ToolResultEvent {
  type: 'tool_result';
  call_id: string;
  status: 'done' | 'error';
  result?: string;
}

/** A file the agent sends (seed 000's `send_file`): shown inline if an image. */
export interface FileEvent {
  type: 'file';
  attachment: Attachment;
}

/** Buttons under the turn's message (seed 000's `send_with_buttons`); replaces earlier ones. */
export interface ButtonsEvent {
  type: 'buttons';
  buttons: Button[][];
}

export interface TypingEvent {
  type: 'typing';
  active: boolean;
}

/** Replace the text of an earlier assistant message in the same chat (seed 000's `edit_message`). */
export interface MessageEditEvent {
  type: 'message_edit';
  message_id: string;
  text: string;
}

/**
 * The agent asks a person something (a tool-call approval, a question) and ends its turn with it pending: the
 * answer starts a new turn whose input is `{ kind: 'answer' }`. The one entry point every bridge raises.
 */
export interface RequestEvent {
  type: 'request';
  request: HumanRequest;
}

export type AgentEvent =
  | DeltaEvent
  | ReasoningDeltaEvent
  | ToolCallEvent
  | ToolOutputEvent
  | ToolResultEvent
  | FileEvent
  | ButtonsEvent
  | TypingEvent
  | MessageEditEvent
  | RequestEvent;

export type AgentEventType = AgentEvent['type'];

// `as const`: the parsers' handler tables are typed over the whole union, so a type left out here fails to compile.
export const AGENT_EVENT_TYPES = [
  'delta',
  'reasoning_delta',
  'tool_call',
  'tool_output',
  'tool_result',
  'file',
  'buttons',
  'typing',
  'message_edit',
  'request',
] as const satisfies readonly AgentEventType[];

/** The event types that build the turn's own message (all but `message_edit`). */
export type TurnOutputType = Exclude<AgentEventType, 'message_edit'>;
export const TURN_OUTPUT_TYPES = [
  'delta',
  'reasoning_delta',
  'tool_call',
  'tool_output',
  'tool_result',
  'file',
  'buttons',
  'typing',
  'request',
] as const satisfies readonly TurnOutputType[];
