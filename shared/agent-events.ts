/** What an agent produces during a turn, before the relay stamps chat, turn and seq on it. */

import type { HumanRequest } from './human-request.ts';
import type { Attachment, Button, DataPart, Source } from './model.ts';

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

/** More of a tool call's arguments, as the model writes them: appended to the `tool_call` they name. */
export interface ToolArgsDeltaEvent {
  type: 'tool_args_delta';
  call_id: string;
  text: string;
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

/** A named step of the agent's work began, ended, or failed: shown as progress on the reply. */
export interface StepEvent {
  type: 'step';
  name: string;
  status: 'started' | 'finished' | 'failed';
}

/** The agent's whole state as it stands now (JSON text), shown with the reply; replaces the last one. */
export interface StateSnapshotEvent {
  type: 'state_snapshot';
  state: string;
}

/** A source the reply cites (a web page or a document), shown as a citation under it. */
export interface SourceEvent {
  type: 'source';
  source: Source;
}

/** A custom data part: a transient one is shown while the turn runs and not kept; others stay with the reply. */
export interface DataPartEvent {
  type: 'data_part';
  part: DataPart;
}

/**
 * The agent asks a person something (a tool-call approval, a question) and ends its turn with it pending: the
 * answer starts a new turn whose input is `{ kind: 'answer' }`. The one entry point every bridge raises.
 */
export interface RequestEvent {
  type: 'request';
  request: HumanRequest;
}

/**
 * The agent names the chat (a short title). Shown unless the user named the chat: it is the workspace field
 * `agent_title`, which the user's own `title` outranks on every device.
 */
export interface TitleEvent {
  type: 'title';
  title: string;
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
  | ToolArgsDeltaEvent
  | StepEvent
  | StateSnapshotEvent
  | SourceEvent
  | DataPartEvent
  | RequestEvent
  | TitleEvent;

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
  'tool_args_delta',
  'step',
  'state_snapshot',
  'source',
  'data_part',
  'request',
  'title',
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
  'tool_args_delta',
  'step',
  'state_snapshot',
  'source',
  'data_part',
  'request',
  'title',
] as const satisfies readonly TurnOutputType[];
