/** The relay's shared state: connected clients, the agent, the chat backend, and the effective limits. */

import { LIMITS, type AgentInfo, type Limits, type RelayFrame } from '../../shared/index.ts';
import type { Agent } from './agent.ts';
import type { CoreConfig } from './options.ts';
import type { ChatBackend } from './chat-backend.ts';
import type { Logger } from './logger.ts';
import { TokenBucket } from './rate-limit.ts';

/** The limits as this relay applies them: its flags may only lower the protocol's. */
export function relayLimits(config: Pick<CoreConfig, 'maxFrameBytes' | 'maxTextChars'>): Limits {
  return {
    ...LIMITS,
    maxFrameBytes: Math.min(LIMITS.maxFrameBytes, config.maxFrameBytes),
    maxTextChars: Math.min(LIMITS.maxTextChars, config.maxTextChars),
  };
}

/** What the hub needs from a connected client. */
export interface HubClient {
  readonly id: string;
  send(frame: RelayFrame): void;
  close(code: number, reason: string): void;
}

interface Shared {
  bucket: TokenBucket;
  connections: number;
}

export class Hub {
  readonly clients = new Set<HubClient>();
  readonly limits: Limits;
  /** Per credential (a token, or an address without tokens): a rate shared by all its connections. */
  private readonly credentials = new Map<string, Shared>();
  /** Open client connections per remote address. */
  private readonly perAddress = new Map<string, number>();

  constructor(
    readonly config: CoreConfig,
    readonly backend: ChatBackend,
    readonly agent: Agent,
    readonly logger: Logger,
    readonly now: () => number,
  ) {
    this.limits = relayLimits(config);
  }

  /** The agent as this relay's clients should see it (possibly connected to another relay). */
  agentInfo(): AgentInfo {
    const local = this.agent.info();
    return this.backend.agentInfo?.(local) ?? local;
  }

  /** True when another client connection from `remote` stays within `--max-connections-per-ip`. */
  admits(remote: string): boolean {
    const max = this.config.maxConnectionsPerIp;
    return max === 0 || (this.perAddress.get(remote) ?? 0) < max;
  }

  /** Counts a connection in; returns the bucket its credential shares. */
  join(remote: string, credential: string): TokenBucket {
    this.perAddress.set(remote, (this.perAddress.get(remote) ?? 0) + 1);
    let shared = this.credentials.get(credential);
    if (!shared) {
      const rate = this.config.credentialRateLimit;
      shared = { bucket: new TokenBucket(rate, rate * 3, this.now()), connections: 0 };
      this.credentials.set(credential, shared);
    }
    shared.connections++;
    return shared.bucket;
  }

  leave(remote: string, credential: string): void {
    const n = (this.perAddress.get(remote) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(remote);
    else this.perAddress.set(remote, n);
    const shared = this.credentials.get(credential);
    if (shared && --shared.connections <= 0) this.credentials.delete(credential);
  }

  broadcast(frame: RelayFrame): void {
    for (const client of this.clients) client.send(frame);
  }
}
