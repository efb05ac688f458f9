/** The relay's shared state: connected clients, the agent, the chat backend, and the effective limits. */

import { LIMITS, type AgentInfo, type Limits, type RelayFrame } from '../../shared/index.ts';
import type { Agent } from '../agents/agent.ts';
import type { RelayConfig } from '../config.ts';
import type { ChatBackend } from './chat-backend.ts';
import type { Logger } from './logger.ts';

/** What the hub needs from a connected client. */
export interface HubClient {
  readonly id: string;
  send(frame: RelayFrame): void;
  close(code: number, reason: string): void;
}

export class Hub {
  readonly clients = new Set<HubClient>();
  readonly limits: Limits;

  constructor(
    readonly config: RelayConfig,
    readonly backend: ChatBackend,
    readonly agent: Agent,
    readonly logger: Logger,
    readonly now: () => number,
  ) {
    this.limits = {
      ...LIMITS,
      maxFrameBytes: Math.min(LIMITS.maxFrameBytes, config.maxFrameBytes),
      maxTextChars: Math.min(LIMITS.maxTextChars, config.maxTextChars),
    };
  }

  /** The agent as this relay's clients should see it (possibly connected to another relay). */
  agentInfo(): AgentInfo {
    const local = this.agent.info();
    return this.backend.agentInfo?.(local) ?? local;
  }

  broadcast(frame: RelayFrame): void {
    for (const client of this.clients) client.send(frame);
  }
}
