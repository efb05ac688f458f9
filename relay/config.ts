/** Relay configuration: one table of options, read from CLI flags and environment variables, validated. */

export interface RelayConfig {
  host: string;
  port: number;
  unixSocket: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  token: string | undefined;
  tokenIssueSecret: string | undefined;
  tokenTtlSec: number;
  agent: 'demo' | 'remote' | 'openai';
  agentToken: string | undefined;
  allowedOrigins: string[];
  allowClients: string[];
  staticDir: string | undefined;
  replayMaxEvents: number;
  replayMaxAgeSec: number;
  idempotencyWindow: number;
  rateLimit: number;
  rateBurst: number;
  maxBufferedBytes: number;
  maxFrameBytes: number;
  maxTextChars: number;
  pingIntervalSec: number;
  demoDelayMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  openaiBaseUrl: string;
  openaiModel: string | undefined;
  openaiApiKey: string | undefined;
  systemPrompt: string | undefined;
  contextChars: number;
  redisUrl: string | undefined;
  maxSubscriptions: number;
  maxConnectionsPerIp: number;
  credentialRateLimit: number;
}

/** `key`: a credential for another service; any length, never shown or logged. */
type Kind = 'string' | 'int' | 'list' | 'secret' | 'key';

interface Option {
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
    values: ['demo', 'remote', 'openai'],
    help: 'Agent behind the relay: demo (built in), remote (an agent process on /agent) or openai (an OpenAI-compatible server)',
  },
  {
    key: 'agentToken',
    flag: 'agent-token',
    env: 'PARLEY_AGENT_TOKEN',
    kind: 'secret',
    help: 'Credential agent processes present on /agent (required for --agent remote)',
  },
  {
    key: 'allowedOrigins',
    flag: 'allowed-origins',
    env: 'PARLEY_ALLOWED_ORIGINS',
    kind: 'list',
    help: 'Exact browser origins allowed to connect, comma-separated (default: own origin + localhost)',
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
    help: 'Events kept per chat for resume (a finished turn counts as one)',
  },
  {
    key: 'replayMaxAgeSec',
    flag: 'replay-max-age',
    env: 'PARLEY_REPLAY_MAX_AGE',
    kind: 'int',
    min: 1,
    max: 30 * 86_400,
    help: 'Seconds an event stays in the replay buffer',
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
    help: 'A client with more unsent bytes than this is closed (slow consumer)',
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
  allowedOrigins: [],
  allowClients: [],
  staticDir: undefined,
  replayMaxEvents: 5000,
  replayMaxAgeSec: 3600,
  idempotencyWindow: 10_000,
  rateLimit: 20,
  rateBurst: 60,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxFrameBytes: 16 * 1024 * 1024,
  maxTextChars: 64_000,
  pingIntervalSec: 20,
  demoDelayMs: 25,
  logLevel: 'info',
  openaiBaseUrl: 'https://api.openai.com/v1',
  openaiModel: undefined,
  openaiApiKey: undefined,
  systemPrompt: undefined,
  contextChars: 32_000,
  redisUrl: undefined,
  maxSubscriptions: 1000,
  maxConnectionsPerIp: 200,
  credentialRateLimit: 200,
};

export type ConfigResult = { ok: true; config: RelayConfig; help: boolean } | { ok: false; error: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Reads options from argv (`--flag value` or `--flag=value`), then env, then defaults. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const fromArgs = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) return { ok: false, error: `unexpected argument "${arg}" (see --help)` };
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!OPTIONS.some((o) => o.flag === name)) return { ok: false, error: `unknown option --${name} (see --help)` };
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) return { ok: false, error: `--${name} needs a value` };
    fromArgs.set(name, value);
  }
  const overrides: Partial<Record<keyof RelayConfig, unknown>> = {};
  for (const opt of OPTIONS) {
    const alias = opt.envAlias !== undefined && env[opt.env] === undefined ? opt.envAlias : undefined;
    const raw = fromArgs.get(opt.flag) ?? env[opt.env] ?? (alias !== undefined ? env[alias] : undefined);
    if (raw === undefined) continue;
    const source = fromArgs.has(opt.flag) ? `--${opt.flag}` : (alias ?? opt.env);
    const parsed = parseValue(opt, raw.trim(), source);
    if ('error' in parsed) return { ok: false, error: parsed.error };
    overrides[opt.key] = parsed.value;
  }
  // Each value was checked against its option's kind above, which matches the field's type.
  const config: RelayConfig = Object.assign({ ...DEFAULTS }, overrides);
  const problem = crossCheck(config);
  return problem ? { ok: false, error: problem } : { ok: true, config, help };
}

function parseValue(opt: Option, raw: string, source: string): { value: unknown } | { error: string } {
  switch (opt.kind) {
    case 'int': {
      if (!/^\d+$/.test(raw)) return { error: `${source} must be a whole number, got "${raw}"` };
      const n = Number(raw);
      if (n < (opt.min ?? 0) || n > (opt.max ?? Number.MAX_SAFE_INTEGER)) {
        return { error: `${source} must be between ${opt.min ?? 0} and ${opt.max}, got ${n}` };
      }
      return { value: n };
    }
    case 'list':
      return {
        value: raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'secret':
      if (raw.length < 16) return { error: `${source} must be at least 16 characters` };
      if (!/^[\x21-\x7e]+$/.test(raw)) return { error: `${source} must be printable ASCII without spaces` };
      return { value: raw };
    case 'key':
      if (!/^[\x21-\x7e]+$/.test(raw)) return { error: `${source} must be printable ASCII without spaces` };
      return { value: raw };
    case 'string':
      if (raw === '') return { error: `${source} must not be empty` };
      if (opt.values && !opt.values.includes(raw))
        return { error: `${source} must be one of ${opt.values.join(', ')}, got "${raw}"` };
      return { value: raw };
  }
}

/** The checks between options, for configurations built in code (library mode) as well as from flags. */
export function crossCheck(c: RelayConfig): string | undefined {
  if (!c.unixSocket && !isLoopbackHost(c.host) && !c.token && !c.tokenIssueSecret) {
    return `refusing to listen on ${c.host} without authentication: set --token or --token-issue-secret`;
  }
  if ((c.tlsCert === undefined) !== (c.tlsKey === undefined)) return '--tls-cert and --tls-key must be given together';
  if (c.agent === 'remote' && !c.agentToken)
    return '--agent remote needs --agent-token (the credential agent processes present)';
  if (c.agentToken && (c.agentToken === c.token || c.agentToken === c.tokenIssueSecret)) {
    return '--agent-token must differ from the client token and the token issue secret';
  }
  if (c.unixSocket && !c.unixSocket.startsWith('/')) return '--unix-socket must be an absolute path';
  for (const origin of c.allowedOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      return `--allowed-origins: "${origin}" is not an origin like https://chat.example.com`;
  }
  if (c.rateBurst < c.rateLimit) return '--rate-burst must be at least --rate-limit';
  if (c.redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(c.redisUrl)) {
    return '--redis-url must look like redis://host:6379 or rediss://user:password@host:6380/0';
  }
  return checkOpenAI(c);
}

/** The base URL is used to build request URLs, so a typo must stop start-up rather than fail every turn. */
function checkOpenAI(c: RelayConfig): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(c.openaiBaseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    return `--base-url (PARLEY_OPENAI_BASE_URL) must be an http(s) URL such as http://127.0.0.1:11434/v1, got "${c.openaiBaseUrl}"`;
  }
  if (url.username || url.password) return '--base-url must not contain credentials: set PARLEY_OPENAI_API_KEY';
  return undefined;
}

export function helpText(program: string): string {
  const lines = OPTIONS.map((o) => {
    const def = DEFAULTS[o.key];
    const shown =
      o.kind === 'secret' || o.kind === 'key'
        ? ''
        : Array.isArray(def)
          ? ''
          : def === undefined
            ? ''
            : ` (default: ${String(def)})`;
    return `  --${o.flag.padEnd(20)} ${o.env.padEnd(28)} ${o.help}${shown}`;
  });
  return [
    `Usage: ${program} [options]`,
    '',
    'Options (flag, environment variable, meaning):',
    ...lines,
    '  --help',
  ].join('\n');
}
