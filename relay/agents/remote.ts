/** Bridge to agent processes in any language that connect to the relay's agent endpoint. */

import {
  CLOSE_CODES,
  parseAgentFrame,
  AGENT_PROTOCOL_VERSION,
  type AgentEvent,
  type AgentInfo,
  type AgentToRelayFrame,
  type ErrorCode,
  type RelayToAgentFrame,
  type TurnRequest,
} from '../../shared/index.ts';
import { DEFAULTS, type RelayConfig } from '../config.ts';
import type { Logger } from '../core/logger.ts';
import { randomId } from '../core/ids.ts';
import { FrameBudget, type BudgetLimits } from '../core/rate-limit.ts';
import type { ConnectableAgent } from '../core/relay.ts';
import type { RelaySocket, SocketHandlers } from '../core/socket.ts';
import { HistoryUnsupported, TurnError, type HistoryPage, type HistoryRequest } from '../core/agent.ts';
import { EventQueue } from './event-queue.ts';

const HISTORY_TIMEOUT_MS = 10_000;
const OFFLINE: AgentInfo = { name: 'Remote agent', capabilities: [], online: false };
/** Past this much unsent data the agent is not reading, so its refusals are not queued up for it as well. */
const REFUSAL_BACKLOG_BYTES = 1 << 20;

/** The agent connection's budget, from the relay's options. */
export function agentBudget(
  c: Pick<RelayConfig, 'agentRateLimit' | 'agentRateBurst' | 'agentByteRate' | 'maxFrameBytes'>,
): BudgetLimits {
  return {
    framesPerSec: c.agentRateLimit,
    frameBurst: c.agentRateBurst,
    bytesPerSec: c.agentByteRate,
    maxFrameBytes: c.maxFrameBytes,
  };
}

interface Connection {
  socket: RelaySocket;
  info: AgentInfo | undefined;
  /** Turns sent to this connection and not yet ended: turn id → its chat id. */
  turns: Map<string, string>;
  /** One agent serves every chat: its frames and bytes are budgeted so a flood cannot starve the clients. */
  budget: FrameBudget;
}

export class RemoteAgent implements ConnectableAgent {
  private current: Connection | undefined;
  private readonly turns = new Map<string, EventQueue<AgentEvent>>();
  private readonly pendingHistory = new Map<string, (page: HistoryPage | Error) => void>();
  private readonly listeners = new Set<(info: AgentInfo) => void>();

  /** The refusal of an over-budget frame, serialized once: a flood is answered at the cost of a send per frame. */
  private readonly overBudget: string;

  constructor(
    private readonly logger: Logger,
    private readonly budget: BudgetLimits = agentBudget(DEFAULTS),
    private readonly now: () => number = Date.now,
  ) {
    const message = `over the agent budget (${budget.framesPerSec} frames, ${budget.bytesPerSec} bytes per second): frame dropped; slow down and resend it`;
    this.overBudget = JSON.stringify({ type: 'error', code: 'rate_limited', message } satisfies RelayToAgentFrame);
  }

  info(): AgentInfo {
    return this.current?.info ?? OFFLINE;
  }

  watch(listener: (info: AgentInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async *run(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const conn = this.current;
    if (!conn?.info) throw new TurnError('The agent is not connected to the relay right now.');
    const queue = new EventQueue<AgentEvent>();
    this.turns.set(turn.turn_id, queue);
    conn.turns.set(turn.turn_id, turn.chat_id);
    const onAbort = () => {
      this.send(conn, { type: 'stop', chat_id: turn.chat_id, turn_id: turn.turn_id });
      // Let the generator finish now; whatever the agent sends for this turn afterwards is refused as stale.
      queue.end();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.send(conn, { type: 'turn', ...turn });
      yield* queue;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.turns.delete(turn.turn_id);
      conn.turns.delete(turn.turn_id);
    }
  }

  async history(req: HistoryRequest): Promise<HistoryPage> {
    const conn = this.current;
    if (!conn?.info) throw new Error('the agent is not connected to the relay right now');
    if (!conn.info.capabilities.includes('history')) throw new HistoryUnsupported(`${conn.info.name} keeps no history`);
    const request_id = `h_${randomId(12)}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = new Promise<HistoryPage | Error>((resolve) => {
      this.pendingHistory.set(request_id, resolve);
      timer = setTimeout(
        () => resolve(new Error('the agent did not answer the history request in time')),
        HISTORY_TIMEOUT_MS,
      );
    });
    this.send(conn, { type: 'history', request_id, ...req });
    const page = await result;
    clearTimeout(timer);
    this.pendingHistory.delete(request_id);
    if (page instanceof Error) throw page;
    return page;
  }

  connect(socket: RelaySocket, remote: string): SocketHandlers {
    const conn: Connection = {
      socket,
      info: undefined,
      turns: new Map(),
      budget: new FrameBudget(this.budget, this.now()),
    };
    const previous = this.current;
    this.current = conn;
    if (previous) {
      previous.socket.close(CLOSE_CODES.policyViolation, 'replaced by a newer agent connection');
      this.failTurns(previous, 'The agent was replaced by a new connection in the middle of this reply.');
      this.announce();
    }
    this.logger.info('agent open', { remote });
    this.send(conn, { type: 'welcome', protocol: AGENT_PROTOCOL_VERSION });
    return {
      onMessage: (text, bytes) => this.onFrame(conn, text, bytes),
      onClose: (code) => {
        this.logger.info('agent close', { remote, code });
        this.failTurns(conn, 'The agent disconnected in the middle of this reply.');
        if (this.current !== conn) return;
        this.current = undefined;
        this.announce();
      },
    };
  }

  private failTurns(conn: Connection, why: string): void {
    for (const id of conn.turns.keys()) this.turns.get(id)?.fail(new TurnError(why));
    conn.turns.clear();
  }

  close(): void {
    this.current?.socket.close(CLOSE_CODES.goingAway, 'relay shutting down');
  }

  private onFrame(conn: Connection, text: string | undefined, bytes: number): void {
    // Checked before parsing, so a dropped frame costs the relay next to nothing.
    if (!conn.budget.admit(bytes, this.now())) {
      if (conn.socket.bufferedAmount <= REFUSAL_BACKLOG_BYTES) conn.socket.send(this.overBudget);
      return;
    }
    if (text === undefined) return this.error(conn, 'bad_frame', 'binary frames are not accepted');
    const parsed = parseAgentFrame(text);
    if (!parsed.ok) return this.error(conn, parsed.error.code, parsed.error.message, parsed.error.ref);
    const frame = parsed.value;
    if (!conn.info && frame.type !== 'hello') return this.error(conn, 'bad_state', 'send hello first');
    this.handle(conn, frame);
  }

  private handle(conn: Connection, frame: AgentToRelayFrame): void {
    switch (frame.type) {
      case 'hello': {
        if (frame.protocol !== AGENT_PROTOCOL_VERSION) {
          return this.error(conn, 'protocol_version', `this relay speaks protocol ${AGENT_PROTOCOL_VERSION}`);
        }
        const { name, capabilities, models, model, params } = frame;
        conn.info = {
          name,
          capabilities,
          online: true,
          ...(models ? { models } : {}),
          ...(model ? { model } : {}),
          ...(params ? { params } : {}),
        };
        return this.announce();
      }
      case 'state': {
        const info = conn.info;
        if (!info) return;
        conn.info = {
          ...info,
          ...(frame.name ? { name: frame.name } : {}),
          ...(frame.models ? { models: frame.models } : {}),
          ...(frame.model ? { model: frame.model } : {}),
        };
        return this.announce();
      }
      case 'turn_end': {
        const queue = this.runningTurn(conn, frame);
        if (!queue) return;
        if (frame.status === 'error') queue.fail(new TurnError(frame.error || 'The agent reported an error.'));
        else queue.end();
        return;
      }
      case 'history_result':
        this.pendingHistory.get(frame.request_id)?.({ messages: frame.messages, complete: frame.complete });
        return;
      default: {
        const queue = this.runningTurn(conn, frame);
        if (!queue) return;
        const { chat_id: _chat, turn_id: _turn, ...event } = frame;
        queue.push(event);
      }
    }
  }

  /** The queue of the turn a frame names, or undefined after telling the agent why the frame was refused. */
  private runningTurn(
    conn: Connection,
    frame: { type: string; chat_id: string; turn_id: string },
  ): EventQueue<AgentEvent> | undefined {
    const { chat_id, turn_id } = frame;
    const chat = conn.turns.get(turn_id);
    const queue = chat === undefined ? undefined : this.turns.get(turn_id);
    if (!queue) {
      // A turn that ended (stopped, failed, cut off by the relay's storage) or never was.
      this.logger.warn('agent event refused: its turn is not running', { type: frame.type, turn: turn_id });
      return void this.error(conn, 'bad_state', `turn ${turn_id} is not running`, turn_id);
    }
    // Events are applied to the turn's chat; one naming another chat is a bug that must not land anywhere.
    if (chat !== chat_id)
      return void this.error(conn, 'wrong_chat', `turn ${turn_id} runs in chat ${chat}, not ${chat_id}`, turn_id);
    return queue;
  }

  private announce(): void {
    const info = this.info();
    for (const listener of this.listeners) listener(info);
  }

  private error(conn: Connection, code: ErrorCode, message: string, ref?: string): void {
    this.send(conn, ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }

  private send(conn: Connection, frame: RelayToAgentFrame): void {
    conn.socket.send(JSON.stringify(frame));
  }
}
