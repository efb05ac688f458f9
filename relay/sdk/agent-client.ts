/** A small client for agent processes in TypeScript (Node or Deno): turns in, events out, stop, history, reconnects. */

import {
  CLOSE_CODES,
  parseRelayToAgentFrame,
  AGENT_PROTOCOL_VERSION,
  type AgentEvent,
  type AgentToRelayFrame,
  type Capability,
  type ChatMessage,
  type RelayToAgentFrame,
  type TurnRequest,
} from '../../shared/index.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { agentUrl, OPEN, resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './websocket.ts';

/** Runs one turn: yield events as they happen; return to finish `done`; throw to finish `error`. */
export type TurnHandler = (turn: TurnRequest, context: { signal: AbortSignal }) => AsyncIterable<AgentEvent>;

export interface HistoryQuery {
  chat_id: string;
  before?: string;
  limit: number;
}

export interface HistoryAnswer {
  messages: ChatMessage[];
  complete: boolean;
}

/** What the client reports about itself, for logs or a status line. */
export type AgentClientEvent =
  | { type: 'connecting'; url: string }
  | { type: 'ready' }
  | { type: 'disconnected'; code: number; reason: string; retryInMs: number | undefined }
  | { type: 'relay_error'; code: string; message: string }
  | { type: 'turn_failed'; turn_id: string; error: string };

export interface AgentClientOptions {
  /** The relay's agent endpoint (`ws://host:8787/agent`) or its base URL (`http://host:8787`). */
  url: string;
  /** The relay's `--agent-token`. */
  token: string;
  name: string;
  /** Default `['markdown', 'stop']`; `history` is added when a history handler is given. */
  capabilities?: Capability[];
  models?: string[];
  model?: string;
  turn: TurnHandler;
  /**
   * Runs the turn an answer to one of this agent's requests starts (`turn.input.kind === 'answer'`, see
   * `askApproval` / `askQuestion`); without it, `turn` runs those too.
   */
  answer?: TurnHandler;
  history?: (query: HistoryQuery) => Promise<HistoryAnswer>;
  /** A WebSocket constructor; default the global one (Deno, Node 22+). On Node 20 pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
  backoff?: Partial<BackoffOptions>;
  onEvent?: (event: AgentClientEvent) => void;
}

/** The relay closes a replaced agent connection with 1008; reconnecting would fight the newer process. */
const REPLACED = CLOSE_CODES.policyViolation;
const MAX_ERROR_CHARS = 4000;

export class AgentClient {
  private socket: WebSocketLike | undefined;
  private readonly running = new Map<string, AbortController>();
  private readonly backoff: Backoff;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly state: { name: string; models?: string[]; model?: string };
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private isReady = false;
  private readyWaiters: (() => void)[] = [];
  private closeWaiters: (() => void)[] = [];

  constructor(private readonly options: AgentClientOptions) {
    this.WebSocketImpl = resolveWebSocket(options.WebSocket);
    this.backoff = new Backoff({ minDelayMs: 500, maxDelayMs: 30_000, resetAfterMs: 10_000, ...options.backoff });
    const { name, models, model } = options;
    this.state = { name, ...(models ? { models } : {}), ...(model ? { model } : {}) };
  }

  /** Connects (and keeps reconnecting until `close`). */
  start(): this {
    this.connect();
    return this;
  }

  /** Resolves once the relay has welcomed this agent and been told who it is. */
  ready(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Announces a new name, model list or default model; remembered for reconnects. */
  update(state: { name?: string; models?: string[]; model?: string }): void {
    Object.assign(this.state, state);
    this.send({ type: 'state', ...state });
  }

  /** Stops reconnecting, aborts running turns and closes the socket; resolves when it is closed. */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.abortAll();
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    socket.close(CLOSE_CODES.normal, 'agent closing');
    return done;
  }

  private connect(): void {
    const url = agentUrl(this.options.url);
    this.options.onEvent?.({ type: 'connecting', url });
    const socket = new this.WebSocketImpl(url, { headers: { authorization: `Bearer ${this.options.token}` } });
    this.socket = socket;
    socket.addEventListener('open', () => this.backoff.connected());
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') this.onFrame(event.data);
    });
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', ({ code, reason }) => this.onClose(socket, code, reason));
  }

  private onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.isReady = false;
    // The relay has already ended these turns for the users; stop the work behind them.
    this.abortAll();
    const retryInMs = this.closed || code === REPLACED ? undefined : this.backoff.next();
    this.options.onEvent?.({ type: 'disconnected', code, reason, retryInMs });
    if (retryInMs !== undefined) this.retry = setTimeout(() => this.connect(), retryInMs);
    for (const resolve of this.closeWaiters.splice(0)) resolve();
  }

  private onFrame(text: string): void {
    const parsed = parseRelayToAgentFrame(text);
    if (!parsed.ok) return this.report('bad_frame', `unreadable frame from the relay: ${parsed.error.message}`);
    this.handle(parsed.value);
  }

  private handle(frame: RelayToAgentFrame): void {
    switch (frame.type) {
      case 'welcome':
        if (frame.protocol !== AGENT_PROTOCOL_VERSION) {
          this.report(
            'protocol_version',
            `the relay speaks protocol ${frame.protocol}, this client ${AGENT_PROTOCOL_VERSION}`,
          );
          return void this.close();
        }
        this.send({
          type: 'hello',
          protocol: AGENT_PROTOCOL_VERSION,
          capabilities: this.capabilities(),
          ...this.state,
        });
        this.isReady = true;
        this.options.onEvent?.({ type: 'ready' });
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        return;
      case 'turn': {
        const { type: _type, ...turn } = frame;
        return void this.runTurn(turn);
      }
      case 'stop':
        // The relay has ended the turn already and wants nothing more for it.
        this.running.get(frame.turn_id)?.abort();
        this.running.delete(frame.turn_id);
        return;
      case 'history':
        return void this.answerHistory(frame);
      case 'error':
        return this.report(frame.code, frame.message);
    }
  }

  private async runTurn(turn: TurnRequest): Promise<void> {
    const { chat_id, turn_id } = turn;
    const controller = new AbortController();
    this.running.set(turn_id, controller);
    const live = () => this.running.get(turn_id) === controller;
    try {
      const handler = turn.input.kind === 'answer' ? (this.options.answer ?? this.options.turn) : this.options.turn;
      for await (const event of handler(turn, { signal: controller.signal })) {
        if (!live()) break;
        this.send({ ...event, chat_id, turn_id });
      }
      if (live()) this.send({ type: 'turn_end', chat_id, turn_id, status: 'done' });
    } catch (err) {
      if (!live()) return;
      const error = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_CHARS) || 'The agent failed.';
      this.send({ type: 'turn_end', chat_id, turn_id, status: 'error', error });
      this.options.onEvent?.({ type: 'turn_failed', turn_id, error });
    } finally {
      if (live()) this.running.delete(turn_id);
    }
  }

  private async answerHistory(frame: Extract<RelayToAgentFrame, { type: 'history' }>): Promise<void> {
    const { chat_id, request_id, before, limit } = frame;
    if (!this.options.history) return;
    try {
      const page = await this.options.history({ chat_id, limit, ...(before ? { before } : {}) });
      this.send({ type: 'history_result', chat_id, request_id, messages: page.messages, complete: page.complete });
    } catch (err) {
      // Unanswered, the request times out on the relay and the client hears agent_unavailable.
      this.report('history_failed', err instanceof Error ? err.message : String(err));
    }
  }

  private capabilities(): Capability[] {
    // `history` is declared exactly when there is a handler, so the relay never asks in vain.
    const base = (this.options.capabilities ?? ['markdown', 'stop']).filter((c) => c !== 'history');
    return this.options.history ? [...base, 'history'] : base;
  }

  private abortAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  private report(code: string, message: string): void {
    this.options.onEvent?.({ type: 'relay_error', code, message });
  }

  private send(frame: AgentToRelayFrame): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(frame));
  }
}

/** Creates and starts an agent client. */
export function connectAgent(options: AgentClientOptions): AgentClient {
  return new AgentClient(options).start();
}
