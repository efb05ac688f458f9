/** The relay's options: the config type, one table naming each flag and variable, and the defaults. */

import { LIMITS } from '../shared/limits.ts';
import type { CoreConfig } from './core/options.ts';

/** The `--data-dir` value that keeps no history on disk. */
export const MEMORY_ONLY = 'none';

/** Every option of the table: the core's own settings (CoreConfig) and the plug-ins'. */
export interface RelayConfig extends CoreConfig {
  port: number;
  unixSocket: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  tokenIssueSecret: string | undefined;
  tokenTtlSec: number;
  agent: 'demo' | 'remote' | 'openai' | 'ag-ui' | 'ai-sdk';
  staticDir: string | undefined;
  pingIntervalSec: number;
  demoDelayMs: number;
  demoHistoryMaxChars: number;
  openaiBaseUrl: string;
  openaiModel: string | undefined;
  /** The model that names a chat after its first reply; `off`: none does; undefined: the chat's own model. */
  titleModel: string | undefined;
  openaiApiKey: string | undefined;
  systemPrompt: string | undefined;
  contextChars: number;
  redisUrl: string | undefined;
  dataDir: string;
  agentRateLimit: number;
  agentRateBurst: number;
  agentByteRate: number;
  agentUrl: string | undefined;
  agentUrlKey: string | undefined;
}

/** `key`: a credential for another service; any length, never shown or logged. */
export type Kind = 'string' | 'int' | 'list' | 'secret' | 'key';

export interface Option {
  key: keyof RelayConfig;
  flag: string;
  env: string;
  kind: Kind;
  help: string;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** A second environment variable read when the first is unset (a well-known name from another tool). */
  envAlias?: string;
}

export const OPTIONS: readonly Option[] = [
  { key: 'host', flag: 'host', env: 'PARLEY_HOST', kind: 'string', help: 'Interface to listen on' },
  {
    key: 'port',
    flag: 'port',
    env: 'PARLEY_PORT',
    kind: 'int',
    min: 0,
    max: 65535,
    help: 'TCP port (0 picks a free one)',
  },
  {
    key: 'unixSocket',
    flag: 'unix-socket',
    env: 'PARLEY_UNIX_SOCKET',
    kind: 'string',
    help: 'Listen on this Unix socket path instead of host:port',
  },
  {
    key: 'tlsCert',
    flag: 'tls-cert',
    env: 'PARLEY_TLS_CERT',
    kind: 'string',
    help: 'PEM certificate file; with --tls-key serves https/wss',
  },
  { key: 'tlsKey', flag: 'tls-key', env: 'PARLEY_TLS_KEY', kind: 'string', help: 'PEM private key file' },
  {
    key: 'token',
    flag: 'token',
    env: 'PARLEY_TOKEN',
    kind: 'secret',
    help: 'Static client token (required off loopback unless --token-issue-secret is set)',
  },
  {
    key: 'tokenIssueSecret',
    flag: 'token-issue-secret',
    env: 'PARLEY_TOKEN_ISSUE_SECRET',
    kind: 'secret',
    help: 'Enables POST /auth/token: callers with this bearer secret get short-lived single-use client tokens',
  },
  {
    key: 'tokenTtlSec',
    flag: 'token-ttl',
    env: 'PARLEY_TOKEN_TTL',
    kind: 'int',
    min: 5,
    max: 86_400,
    help: 'Lifetime of issued tokens, seconds',
  },
  {
    key: 'agent',
    flag: 'agent',
    env: 'PARLEY_AGENT',
    kind: 'string',
    values: ['demo', 'remote', 'openai', 'ag-ui', 'ai-sdk'],
    help: 'Agent behind the relay: demo (built in), remote (an agent process on /agent), openai (an OpenAI-compatible server), ag-ui (an AG-UI agent at --agent-url) or ai-sdk (an AI SDK UI message stream endpoint at --agent-url)',
  },
  {
    key: 'agentToken',
    flag: 'agent-token',
    env: 'PARLEY_AGENT_TOKEN',
    kind: 'secret',
    help: 'Credential agent processes present on /agent (required for --agent remote)',
  },
  {
    key: 'agentIdleTimeoutSec',
    flag: 'agent-idle-timeout',
    env: 'PARLEY_AGENT_IDLE_TIMEOUT',
    kind: 'int',
    min: 1,
    max: 86_400,
    help: 'Seconds an agent may send nothing during a turn before the relay ends it with an error and tells the agent to stop',
  },
  {
    key: 'maxQueuedTurns',
    flag: 'max-queued-turns',
    env: 'PARLEY_MAX_QUEUED_TURNS',
    kind: 'int',
    min: 1,
    max: 100_000,
    help: 'Messages (and button presses) one chat may have waiting behind its running turn; more are refused with queue_full',
  },
  {
    key: 'maxQueuedBytes',
    flag: 'max-queued-bytes',
    env: 'PARLEY_MAX_QUEUED_BYTES',
    kind: 'int',
    min: 1024,
    max: 2 ** 40,
    help: 'Bytes of text and files one chat may have waiting behind its running turn (at least --max-frame-bytes)',
  },
  {
    key: 'allowedOrigins',
    flag: 'allowed-origins',
    env: 'PARLEY_ALLOWED_ORIGINS',
    kind: 'list',
    help: 'Exact browser origins allowed to connect, comma-separated (default: own origin + localhost)',
  },
  {
    key: 'allowedHosts',
    flag: 'allowed-hosts',
    env: 'PARLEY_ALLOWED_HOSTS',
    kind: 'list',
    help: 'Host names the relay is served under, comma-separated; other Host headers get 421 (default: loopback names and IP addresses; * answers any Host, token relays only)',
  },
  {
    key: 'allowClients',
    flag: 'allow-clients',
    env: 'PARLEY_ALLOW_CLIENTS',
    kind: 'list',
    help: 'Only these client_id values may connect, comma-separated (default: any)',
  },
  {
    key: 'staticDir',
    flag: 'static',
    env: 'PARLEY_STATIC',
    kind: 'string',
    help: 'Directory of the built client to serve at / (default: dist/ when it exists)',
  },
  {
    key: 'replayMaxEvents',
    flag: 'replay-max-events',
    env: 'PARLEY_REPLAY_MAX_EVENTS',
    kind: 'int',
    min: 10,
    max: 1_000_000,
    help: 'Events per chat held for resume (a finished turn counts as one): in memory, older ones read from --data-dir (with --data-dir none they are gone); a Redis relay keeps none in memory',
  },
  {
    key: 'replayMaxAgeSec',
    flag: 'replay-max-age',
    env: 'PARLEY_REPLAY_MAX_AGE',
    kind: 'int',
    min: 1,
    max: 30 * 86_400,
    help: 'Seconds an event stays in memory for resume (with --data-dir none, at all), and a client_msg_id is remembered',
  },
  {
    key: 'replayMaxBytes',
    flag: 'replay-max-bytes',
    env: 'PARLEY_REPLAY_MAX_BYTES',
    kind: 'int',
    min: 1024,
    max: 2 ** 40,
    help: 'Serialized bytes of events per chat held in memory for resume (at least --max-frame-bytes); the oldest go first',
  },
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'PARLEY_DATA_DIR',
    kind: 'string',
    help: `Directory where every chat's history is kept across restarts (created if missing); ${MEMORY_ONLY} keeps chats in memory only, for as long as the replay window`,
  },
  {
    key: 'historyMaxAgeSec',
    flag: 'history-max-age',
    env: 'PARLEY_HISTORY_MAX_AGE',
    kind: 'int',
    min: 0,
    max: 100 * 365 * 86_400,
    help: 'Seconds a chat event is kept at all (on disk, in memory or in Redis); 0 keeps it forever',
  },
  {
    key: 'historyMaxBytes',
    flag: 'history-max-bytes',
    env: 'PARLEY_HISTORY_MAX_BYTES',
    kind: 'int',
    min: 0,
    max: 2 ** 50,
    help: 'Serialized bytes of history kept per chat, the oldest going first (the newest message always stays); 0 keeps everything',
  },
  {
    key: 'idempotencyWindow',
    flag: 'idempotency-window',
    env: 'PARLEY_IDEMPOTENCY_WINDOW',
    kind: 'int',
    min: 10,
    max: 1_000_000,
    help: 'client_msg_ids remembered per chat for deduplicating resends',
  },
  {
    key: 'rateLimit',
    flag: 'rate-limit',
    env: 'PARLEY_RATE_LIMIT',
    kind: 'int',
    min: 1,
    max: 100_000,
    help: 'Frames per second a client connection may send (sustained)',
  },
  {
    key: 'rateBurst',
    flag: 'rate-burst',
    env: 'PARLEY_RATE_BURST',
    kind: 'int',
    min: 1,
    max: 100_000,
    help: 'Frames a client connection may send in a burst',
  },
  {
    key: 'maxBufferedBytes',
    flag: 'max-buffered-bytes',
    env: 'PARLEY_MAX_BUFFERED_BYTES',
    kind: 'int',
    min: 65_536,
    max: 1 << 30,
    help: 'A client with more unsent bytes than this when the relay sends another frame is closed (slow consumer); at least twice --max-frame-bytes',
  },
  {
    key: 'coalesceMs',
    flag: 'coalesce-ms',
    env: 'PARLEY_COALESCE_MS',
    kind: 'int',
    min: 0,
    max: 1000,
    help: "Milliseconds a turn's output may wait so events ready together reach each client as one frame (0: one frame per event)",
  },
  {
    key: 'maxFrameBytes',
    flag: 'max-frame-bytes',
    env: 'PARLEY_MAX_FRAME_BYTES',
    kind: 'int',
    min: 1024,
    max: 64 * 1024 * 1024,
    help: 'Largest incoming frame; bigger ones close the socket with 1009',
  },
  {
    key: 'maxTextChars',
    flag: 'max-text-chars',
    env: 'PARLEY_MAX_TEXT_CHARS',
    kind: 'int',
    min: 1,
    max: 64_000,
    help: 'Longest message text a client may send',
  },
  {
    key: 'pingIntervalSec',
    flag: 'ping-interval',
    env: 'PARLEY_PING_INTERVAL',
    kind: 'int',
    min: 1,
    max: 300,
    help: 'Seconds between WebSocket pings; a peer missing one is dropped',
  },
  {
    key: 'demoDelayMs',
    flag: 'demo-delay-ms',
    env: 'PARLEY_DEMO_DELAY_MS',
    kind: 'int',
    min: 0,
    max: 10_000,
    help: 'Pause between tokens of the demo agent, ms',
  },
  {
    key: 'demoHistoryMaxChars',
    flag: 'demo-history-max-chars',
    env: 'PARLEY_DEMO_HISTORY_MAX_CHARS',
    kind: 'int',
    min: 1000,
    max: 2 ** 32,
    help: 'Characters of message text the demo agent remembers across all chats for history and /edit (files are not kept)',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'PARLEY_LOG_LEVEL',
    kind: 'string',
    values: ['debug', 'info', 'warn', 'error', 'silent'],
    help: 'Log verbosity',
  },
  {
    key: 'openaiBaseUrl',
    flag: 'base-url',
    env: 'PARLEY_OPENAI_BASE_URL',
    kind: 'string',
    help: 'OpenAI-compatible API base URL for --agent openai (Ollama: http://127.0.0.1:11434/v1)',
  },
  {
    key: 'openaiModel',
    flag: 'model',
    env: 'PARLEY_OPENAI_MODEL',
    kind: 'string',
    help: 'Default model for --agent openai (default: the first one the server lists)',
  },
  {
    key: 'titleModel',
    flag: 'title-model',
    env: 'PARLEY_TITLE_MODEL',
    kind: 'string',
    help: 'Model --agent openai asks for a short chat title after the first reply (default: the chat model); off: no agent names chats (the demo neither)',
  },
  {
    key: 'openaiApiKey',
    flag: 'api-key',
    env: 'PARLEY_OPENAI_API_KEY',
    envAlias: 'OPENAI_API_KEY',
    kind: 'key',
    help: 'API key for --agent openai; OPENAI_API_KEY also works (prefer the variable: flags show in ps)',
  },
  {
    key: 'systemPrompt',
    flag: 'system-prompt',
    env: 'PARLEY_SYSTEM_PROMPT',
    kind: 'string',
    help: 'System message sent first in every --agent openai request',
  },
  {
    key: 'contextChars',
    flag: 'context-chars',
    env: 'PARLEY_CONTEXT_CHARS',
    kind: 'int',
    min: 0,
    max: 400_000,
    help: 'Characters of earlier messages --agent openai sends along; the oldest are dropped first',
  },
  {
    key: 'redisUrl',
    flag: 'redis-url',
    env: 'PARLEY_REDIS_URL',
    kind: 'string',
    help: 'Share chats with other relays through this Redis (redis:// or rediss://); default: this process only',
  },
  {
    key: 'maxSubscriptions',
    flag: 'max-subscriptions',
    env: 'PARLEY_MAX_SUBSCRIPTIONS',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    help: 'Chats one client connection may follow at once',
  },
  {
    key: 'maxConnectionsPerIp',
    flag: 'max-connections-per-ip',
    env: 'PARLEY_MAX_CONNECTIONS_PER_IP',
    kind: 'int',
    min: 0,
    max: 1_000_000,
    help: 'Open client connections allowed from one address; 0 turns the limit off (do so behind a reverse proxy)',
  },
  {
    key: 'credentialRateLimit',
    flag: 'credential-rate-limit',
    env: 'PARLEY_CREDENTIAL_RATE_LIMIT',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    help: 'Frames per second all connections sharing a token (or, without tokens, an address) may send together',
  },
  {
    key: 'agentRateLimit',
    flag: 'agent-rate-limit',
    env: 'PARLEY_AGENT_RATE_LIMIT',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    help: 'Frames per second the agent connection may send, all chats together (sustained); more are dropped with rate_limited',
  },
  {
    key: 'agentRateBurst',
    flag: 'agent-rate-burst',
    env: 'PARLEY_AGENT_RATE_BURST',
    kind: 'int',
    min: 1,
    max: 1_000_000,
    help: 'Frames the agent connection may send in a burst',
  },
  {
    key: 'agentByteRate',
    flag: 'agent-byte-rate',
    env: 'PARLEY_AGENT_BYTE_RATE',
    kind: 'int',
    min: 1024,
    max: 1 << 30,
    help: 'Bytes per second the agent connection may send (sustained); bursts up to this or --max-frame-bytes, whichever is larger',
  },
  {
    key: 'agentUrl',
    flag: 'agent-url',
    env: 'PARLEY_AGENT_URL',
    kind: 'string',
    help: 'HTTP endpoint of the agent for --agent ag-ui (RunAgentInput in, SSE out) and --agent ai-sdk (the chat route)',
  },
  {
    key: 'agentUrlKey',
    flag: 'agent-url-key',
    env: 'PARLEY_AGENT_URL_KEY',
    kind: 'key',
    help: 'Bearer token sent to --agent-url, when the endpoint needs one (prefer the variable: flags show in ps)',
  },
];

export const DEFAULTS: RelayConfig = {
  host: '127.0.0.1',
  port: 8787,
  unixSocket: undefined,
  tlsCert: undefined,
  tlsKey: undefined,
  token: undefined,
  tokenIssueSecret: undefined,
  tokenTtlSec: 300,
  agent: 'demo',
  agentToken: undefined,
  agentIdleTimeoutSec: 300,
  maxQueuedTurns: 20,
  maxQueuedBytes: 64 * 1024 * 1024,
  allowedOrigins: [],
  allowedHosts: [],
  allowClients: [],
  staticDir: undefined,
  replayMaxEvents: 5000,
  replayMaxAgeSec: 3600,
  replayMaxBytes: 64 * 1024 * 1024,
  idempotencyWindow: 10_000,
  rateLimit: 20,
  rateBurst: 60,
  maxBufferedBytes: 32 * 1024 * 1024,
  maxFrameBytes: LIMITS.maxFrameBytes,
  coalesceMs: 16,
  maxTextChars: LIMITS.maxTextChars,
  pingIntervalSec: 20,
  demoDelayMs: 25,
  demoHistoryMaxChars: 16 * 1024 * 1024,
  logLevel: 'info',
  openaiBaseUrl: 'https://api.openai.com/v1',
  openaiModel: undefined,
  titleModel: undefined,
  openaiApiKey: undefined,
  systemPrompt: undefined,
  contextChars: 32_000,
  redisUrl: undefined,
  dataDir: './data',
  historyMaxAgeSec: 0,
  historyMaxBytes: 0,
  maxSubscriptions: 1000,
  maxConnectionsPerIp: 200,
  credentialRateLimit: 200,
  agentRateLimit: 1000,
  agentRateBurst: 2000,
  agentByteRate: 8 * 1024 * 1024,
  agentUrl: undefined,
  agentUrlKey: undefined,
};
