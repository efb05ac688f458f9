/** What the relay core is configured with: only the settings the core itself reads. */

import type { LogLevel } from './logger.ts';

/**
 * The core's share of the command-line table (`relay/config-options.ts`). A `RelayConfig` is one of
 * these, so bootstrap passes the parsed table straight through; listening, TLS, agents and Redis are
 * the plug-ins' settings and never reach the core.
 */
export interface CoreConfig {
  /** The name the relay listens under, and the names it also answers to (DNS rebinding). */
  host: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  allowClients: string[];
  token: string | undefined;
  agentToken: string | undefined;
  agentIdleTimeoutSec: number;
  maxQueuedTurns: number;
  maxQueuedBytes: number;
  replayMaxEvents: number;
  replayMaxAgeSec: number;
  replayMaxBytes: number;
  /** What a chat's history keeps at all (seconds, bytes); 0 keeps everything. */
  historyMaxAgeSec: number;
  historyMaxBytes: number;
  idempotencyWindow: number;
  rateLimit: number;
  rateBurst: number;
  maxBufferedBytes: number;
  maxFrameBytes: number;
  coalesceMs: number;
  maxTextChars: number;
  maxSubscriptions: number;
  maxConnectionsPerIp: number;
  credentialRateLimit: number;
  logLevel: LogLevel;
}
