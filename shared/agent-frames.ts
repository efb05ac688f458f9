/** Frames between the relay and agent processes on the agent endpoint, both directions. */

import type { AgentEvent } from './agent-events.ts';
import type { ErrorCode } from './errors.ts';
import type { AnsweredBy, HumanAnswer, HumanRequest } from './human-request.ts';
import type { Capability, ChatMessage, ContextMessage } from './model.ts';
import type { AgentParam, TurnSettings } from './settings.ts';

/** What started a turn: a user's message, a press of one of the agent's buttons, or an answer to its request. */
export type TurnInput =
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'action'; message_id: string; action_id: string; label: string }
  | AnswerInput;

/** Someone answered a request the agent raised (`request` event) in an earlier turn; the request is repeated. */
export interface AnswerInput {
  kind: 'answer';
  /** The message that holds the request. */
  message_id: string;
  request: HumanRequest;
  answer: HumanAnswer;
  answered_by: AnsweredBy;
}

/** Everything an agent needs to run one turn. */
export interface TurnRequest {
  chat_id: string;
  turn_id: string;
  /** The id of the assistant message this turn writes. */
  message_id: string;
  input: TurnInput;
  /** Prior messages, oldest first, as the client sent them (bounded by the relay). */
  context: ContextMessage[];
  model?: string;
  /** The chat's settings as the client sent them, checked against the advertised `params`. */
  settings?: TurnSettings;
  /**
   * Set when the turn continues a stopped or failed reply (a `continue` frame): that reply's id. Its text is the last
   * `context` entry; the input is the message it answered. A model-backed agent puts the partial reply after the
   * input and asks the model to go on from it, rather than to answer the input again.
   */
  continues?: string;
  /**
   * Set when the turn regenerates a reply: the reply it writes is a new version of that reply's group (the id of the
   * group's first message). The turn's `turn_start` carries it; the agent may ignore it.
   */
  version_of?: string;
}

// ---- relay → agent ----

export interface WelcomeFrame {
  type: 'welcome';
  protocol: number;
}

export interface TurnFrame extends TurnRequest {
  type: 'turn';
}

export interface AgentStopFrame {
  type: 'stop';
  chat_id: string;
  turn_id: string;
}

export interface AgentHistoryRequestFrame {
  type: 'history';
  chat_id: string;
  request_id: string;
  before?: string;
  limit: number;
}

export interface AgentErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  ref?: string;
}

export type RelayToAgentFrame = WelcomeFrame | TurnFrame | AgentStopFrame | AgentHistoryRequestFrame | AgentErrorFrame;

// ---- agent → relay ----

/** First frame an agent sends: who it is and what it can do. */
export interface HelloFrame {
  type: 'hello';
  protocol: number;
  name: string;
  capabilities: Capability[];
  models?: string[];
  model?: string;
  /** Parameters a chat may set (temperature…), shown in the chat's settings. */
  params?: AgentParam[];
}

/** The agent's name or models changed; the relay tells every client. */
export interface StateFrame {
  type: 'state';
  name?: string;
  models?: string[];
  model?: string;
}

/** One output event of a running turn, flattened with its chat and turn. */
export type AgentTurnEventFrame = AgentEvent & { chat_id: string; turn_id: string };

export interface AgentTurnEndFrame {
  type: 'turn_end';
  chat_id: string;
  turn_id: string;
  status: 'done' | 'error';
  error?: string;
}

export interface AgentHistoryResultFrame {
  type: 'history_result';
  chat_id: string;
  request_id: string;
  messages: ChatMessage[];
  complete: boolean;
}

export type AgentToRelayFrame =
  HelloFrame | StateFrame | AgentTurnEventFrame | AgentTurnEndFrame | AgentHistoryResultFrame;
