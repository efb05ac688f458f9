/** The one interface every agent bridge implements: demo, remote processes, library agents. */

import type { AgentEvent, AgentInfo, ChatMessage, TurnRequest } from '../../shared/index.ts';

export interface HistoryRequest {
  chat_id: string;
  before?: string;
  limit: number;
}

export interface HistoryPage {
  messages: ChatMessage[];
  complete: boolean;
}

export interface Agent {
  /** Name, capabilities and models, as clients should see them now. */
  info(): AgentInfo;
  /**
   * Runs one turn. Yield events as they happen; return to finish with status `done`;
   * throw to finish with status `error` (a `TurnError`'s message is shown to the user; any other error is logged and the user sees a generic message).
   * `signal` aborts when the user stops the turn: stop promptly.
   */
  run(turn: TurnRequest, signal: AbortSignal): AsyncIterable<AgentEvent>;
  /** Stored history of a chat, for agents that keep one. */
  history?(request: HistoryRequest): Promise<HistoryPage>;
  /** Called with new info whenever it changes; returns an unsubscribe function. */
  watch?(listener: (info: AgentInfo) => void): () => void;
  /** Releases timers and connections when the relay closes. */
  close?(): void;
}

/** An error whose message is safe and useful to show to the user as the turn's failure. */
export class TurnError extends Error {
  override readonly name = 'TurnError';
}

/** Thrown by `history` when the agent is reachable but keeps no history. */
export class HistoryUnsupported extends Error {
  override readonly name = 'HistoryUnsupported';
}
