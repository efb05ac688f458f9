/** Builds a relay from parsed configuration — logger, agent, shared backend — the same way on every runtime. */

import { createAgent } from './agents/create.ts';
import type { RelayConfig } from './config.ts';
import { createLogger } from './core/logger.ts';
import { Relay } from './core/relay.ts';
import type { StaticFiles } from './http/static-files.ts';
import { createRedisBackend } from './redis/create.ts';

/** Returns the relay, or a message saying why it cannot start. */
export async function buildRelay(config: RelayConfig, files: StaticFiles | undefined): Promise<Relay | string> {
  const logger = createLogger(config.logLevel);
  const agent = createAgent(config, logger);
  let backend;
  if (config.redisUrl) {
    try {
      const replay = {
        maxEvents: config.replayMaxEvents,
        maxAgeMs: config.replayMaxAgeSec * 1000,
        idempotencyWindow: config.idempotencyWindow,
      };
      backend = await createRedisBackend(config.redisUrl, { agent, logger, now: Date.now }, replay);
    } catch (err) {
      return `--redis-url: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return new Relay({ config, agent, logger, ...(backend ? { backend } : {}), ...(files ? { files } : {}) });
}
