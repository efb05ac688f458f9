/** Puts a relay together from the command-line table: the core, with the HTTP plug-ins attached. */

import type { RelayConfig } from './config.ts';
import type { Agent } from './core/agent.ts';
import type { ChatBackend } from './core/chat-backend.ts';
import type { HistoryStore } from './core/history-store.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { Relay } from './core/relay.ts';
import { httpPlugins } from './http/routes.ts';
import type { StaticFiles } from './http/static-files.ts';

export interface Assembly {
  logger?: Logger;
  now?: () => number;
  /** The built client to serve at `/`; omit to serve no files. */
  files?: StaticFiles;
  backend?: ChatBackend;
  /** Where the in-process backend keeps every chat's history (`openHistory`); omit for memory only. */
  history?: HistoryStore;
}

/** The one place the table is mapped onto the core's options: a `RelayConfig` holds every `CoreConfig` field. */
export function assembleRelay(config: RelayConfig, agent: Agent, parts: Assembly = {}): Relay {
  const { logger = createLogger(config.logLevel), now, files, backend, history } = parts;
  const plugins = httpPlugins({ agent, config, logger, ...(now ? { now } : {}), ...(files ? { files } : {}) });
  const stores = { ...(backend ? { backend } : {}), ...(history ? { history } : {}) };
  return new Relay({ config, agent, logger, ...plugins, ...(now ? { now } : {}), ...stores });
}
