/** Parley as a library on Node: `createRelay({ agent })` serves your own TypeScript agent loop to every Parley client. */

import type { AgentEvent, AgentInfo, Capability, TurnRequest } from '../shared/index.ts';
import { nodeFiles } from './adapters/node/files.ts';
import { serveNode, type RunningServer } from './adapters/node/serve.ts';
import type { Agent } from './core/agent.ts';
import { crossCheck, DEFAULTS, type RelayConfig } from './config.ts';
import type { Relay } from './core/relay.ts';
import { assembleRelay } from './assemble.ts';
import { createLogger } from './core/logger.ts';
import type { StaticFiles } from './http/static-files.ts';
import { openHistory } from './storage/open.ts';

export type { AgentEvent, AgentInfo, Capability, ChatMessage, ContextMessage, TurnRequest } from '../shared/index.ts';
export type {
  AnswerInput,
  ApprovalRequest,
  FormSchema,
  HumanAnswer,
  HumanRequest,
  QuestionRequest,
  RequestEvent,
} from '../shared/index.ts';
export { AllowedTools, answerOf, answerText, approvalResultText, askApproval, askQuestion } from '../shared/index.ts';
export { TurnError, type Agent, type HistoryPage, type HistoryRequest } from './core/agent.ts';
export type { RelayConfig } from './config.ts';
export type { RunningServer } from './adapters/node/serve.ts';

/**
 * An agent as one function: yield events as they happen, return to finish the turn (`done`), throw a
 * `TurnError` to finish it with that message (`error`). Stop promptly when `signal` aborts.
 */
export type AgentFunction = (turn: TurnRequest, context: { signal: AbortSignal }) => AsyncIterable<AgentEvent>;

export interface CreateRelayOptions {
  /** An `Agent` object, or just its `run` as an async generator function. */
  agent: Agent | AgentFunction;
  /** For a function agent: what clients see. Default "Agent", `['markdown', 'stop']`. */
  name?: string;
  capabilities?: Capability[];
  models?: string[];
  /**
   * Any relay option (the fields behind the command-line flags); unspecified ones take their defaults. Chats are
   * kept in `dataDir` (default `./data`, `'none'` for memory only), as on the command line.
   */
  config?: Partial<RelayConfig>;
  /** The built client to serve at `/`: a directory (e.g. Parley's `dist/`) or a file reader. */
  files?: string | StaticFiles;
}

export interface ParleyRelay {
  readonly relay: Relay;
  readonly config: RelayConfig;
  /** Starts listening (`config.host`/`config.port`, default 127.0.0.1:8787); `close()` stops it. */
  listen(): Promise<RunningServer>;
}

function functionAgent(run: AgentFunction, options: CreateRelayOptions): Agent {
  const { name = 'Agent', capabilities = ['markdown', 'stop'], models } = options;
  const info: AgentInfo = { name, capabilities, online: true, ...(models?.length ? { models, model: models[0] } : {}) };
  return { info: () => info, run: (turn, signal) => run(turn, { signal }) };
}

/** Builds a relay around `agent`; throws on a configuration the command line would refuse too. */
export function createRelay(options: CreateRelayOptions): ParleyRelay {
  const config: RelayConfig = { ...DEFAULTS, ...options.config };
  const problem = crossCheck(config);
  if (problem) throw new Error(`parley: ${problem}`);
  const agent = typeof options.agent === 'function' ? functionAgent(options.agent, options) : options.agent;
  const files = typeof options.files === 'string' ? nodeFiles(options.files) : options.files;
  const history = openHistory(config, createLogger(config.logLevel));
  if (typeof history === 'string') throw new Error(`parley: ${history}`);
  const relay = assembleRelay(config, agent, { ...(files ? { files } : {}), ...(history ? { history } : {}) });
  return { relay, config, listen: () => serveNode(relay, config) };
}
