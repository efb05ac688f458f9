/** Starts a real relay (core + Node adapter) on a free loopback port for a test, and stops it. */

import { serveNode, type RunningServer } from '../../relay/adapters/node/serve.ts';
import type { Agent } from '../../relay/core/agent.ts';
import { createAgent } from '../../relay/agents/create.ts';
import { DEFAULTS, type RelayConfig } from '../../relay/config.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { replayLimits } from '../../relay/core/chat-log.ts';
import { queueLimits } from '../../relay/core/turn-queue.ts';
import { turnDeps } from '../../relay/core/turn-runner.ts';
import type { Relay } from '../../relay/core/relay.ts';
import { assembleRelay } from '../../relay/assemble.ts';
import { createRedisBackend } from '../../relay/redis/create.ts';
import { openHistory } from '../../relay/storage/open.ts';
import type { RedisBackendOptions } from '../../relay/redis/redis-backend.ts';

export interface TestRelay {
  relay: Relay;
  server: RunningServer;
  /** `ws://127.0.0.1:<port>` */
  wsBase: string;
  httpBase: string;
  /** Every log line the relay wrote. */
  logs: string[];
  close(): Promise<void>;
}

export async function startRelay(
  config: Partial<RelayConfig> = {},
  agent?: Agent,
  now?: () => number,
  /** Replay limits of the Redis backend beyond what the configuration sets. */
  redisReplay: Partial<RedisBackendOptions> = {},
): Promise<TestRelay> {
  const full: RelayConfig = { ...DEFAULTS, port: 0, demoDelayMs: 1, logLevel: 'debug', ...config };
  const logs: string[] = [];
  const logger = createLogger(full.logLevel, (line) => logs.push(line));
  const theAgent = agent ?? createAgent(full, logger);
  const replay = {
    ...replayLimits(full),
    queue: queueLimits(full),
    idempotencyWindow: full.idempotencyWindow,
    ...redisReplay,
  };
  const backend = full.redisUrl
    ? await createRedisBackend(full.redisUrl, turnDeps(full, theAgent, logger, now ?? Date.now), replay)
    : undefined;
  // Tests keep chats in memory unless they name a data directory.
  const history = config.dataDir === undefined ? undefined : openHistory(full, logger, now);
  if (typeof history === 'string') throw new Error(history);
  const parts = { logger, ...(now ? { now } : {}), ...(backend ? { backend } : {}), ...(history ? { history } : {}) };
  const relay = assembleRelay(full, theAgent, parts);
  const server = await serveNode(relay, full);
  return {
    relay,
    server,
    wsBase: `ws://127.0.0.1:${server.port}`,
    httpBase: `http://127.0.0.1:${server.port}`,
    logs,
    close: () => server.close(),
  };
}
