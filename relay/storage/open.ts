/** Opens the history store a configuration asks for: files under `--data-dir`, or none (memory only, or Redis). */

import { MEMORY_ONLY, type RelayConfig } from '../config-options.ts';
import { replayLimits } from '../core/chat-log.ts';
import type { HistoryStore } from '../core/history-store.ts';
import type { Logger } from '../core/logger.ts';
import { KEEP_ALL } from '../core/replay-window.ts';
import { openFileStore } from './data-dir.ts';

/** The store, undefined when chats are not kept on disk, or why the relay cannot start. */
export function openHistory(
  config: RelayConfig,
  logger: Logger,
  now?: () => number,
): HistoryStore | undefined | string {
  // Redis keeps shared chats itself; a data directory would be a second, diverging copy.
  if (config.redisUrl !== undefined || config.dataDir === MEMORY_ONLY) return undefined;
  return openFileStore({
    dir: config.dataDir,
    retention: replayLimits(config).retention ?? KEEP_ALL,
    acks: { max: config.idempotencyWindow, maxAgeMs: config.replayMaxAgeSec * 1000 },
    logger,
    ...(now ? { now } : {}),
  });
}
