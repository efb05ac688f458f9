/** Builds a relay from parsed configuration — logger, agent, history store or shared backend — the same way on every runtime. */

import { createAgent } from './agents/create.ts';
import type { RelayConfig } from './config.ts';
import type { Agent } from './core/agent.ts';
import { createLogger } from './core/logger.ts';
import { replayLimits } from './core/chat-log.ts';
import { queueLimits } from './core/turn-queue.ts';
import { turnDeps } from './core/turn-runner.ts';
import type { Relay } from './core/relay.ts';
import { assembleRelay } from './assemble.ts';
import type { StaticFiles } from './http/static-files.ts';
import { createRedisBackend } from './redis/create.ts';
import { openHistory } from './storage/open.ts';

/** Returns the relay, or a message saying why it cannot start; `given` replaces the configured agent (the benchmarks' paced one). */
export async function buildRelay(
  config: RelayConfig,
  files: StaticFiles | undefined,
  given?: Agent,
): Promise<Relay | string> {
  const logger = createLogger(config.logLevel);
  const agent = given ?? createAgent(config, logger);
  let backend;
  if (config.redisUrl) {
    try {
      const replay = {
        ...replayLimits(config),
        queue: queueLimits(config),
        idempotencyWindow: config.idempotencyWindow,
      };
      backend = await createRedisBackend(config.redisUrl, turnDeps(config, agent, logger, Date.now), replay);
    } catch (err) {
      return `--redis-url: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const history = openHistory(config, logger);
  if (typeof history === 'string') return history;
  const parts = {
    logger,
    ...(files ? { files } : {}),
    ...(backend ? { backend } : {}),
    ...(history ? { history } : {}),
  };
  return assembleRelay(config, agent, parts);
}
