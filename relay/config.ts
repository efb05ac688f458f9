/** Relay configuration: reads the options table from CLI flags and environment variables, and validates it. */

import { DEFAULTS, OPTIONS, type Option, type RelayConfig } from './config-options.ts';
import { ANY_HOST, validHostEntry } from './core/host.ts';

export { DEFAULTS, OPTIONS, type RelayConfig };

/** What a runtime adapter listens with; the rest of the table goes to the core and the plug-ins. */
export type ListenConfig = Pick<RelayConfig, 'host' | 'port' | 'unixSocket' | 'tlsCert' | 'tlsKey' | 'pingIntervalSec'>;

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
  for (const host of c.allowedHosts) {
    if (!validHostEntry(host))
      return `--allowed-hosts: "${host}" is not a host name like chat.example.com (no scheme, no port)`;
  }
  // Without a token, the Host check is what keeps a DNS-rebinding page away from the agent.
  if (c.allowedHosts.includes(ANY_HOST) && !c.token && !c.tokenIssueSecret)
    return '--allowed-hosts * needs --token or --token-issue-secret';
  if (c.rateBurst < c.rateLimit) return '--rate-burst must be at least --rate-limit';
  if (c.agentRateBurst < c.agentRateLimit) return '--agent-rate-burst must be at least --agent-rate-limit';
  // One frame as large as the relay emits, plus the next one behind it, must fit, or that frame breaks the chat.
  if (c.maxQueuedBytes < c.maxFrameBytes) {
    return `--max-queued-bytes (${c.maxQueuedBytes}) must be at least --max-frame-bytes (${c.maxFrameBytes}): the largest message must fit in a chat's queue`;
  }
  if (c.replayMaxBytes < c.maxFrameBytes) {
    return `--replay-max-bytes (${c.replayMaxBytes}) must be at least --max-frame-bytes (${c.maxFrameBytes}): the largest message must fit in a chat's replay`;
  }
  if (c.maxBufferedBytes < 2 * c.maxFrameBytes) {
    return `--max-buffered-bytes (${c.maxBufferedBytes}) must be at least twice --max-frame-bytes (${c.maxFrameBytes}): a frame the relay accepts must fit in a client's buffer`;
  }
  if (c.redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(c.redisUrl)) {
    return '--redis-url must look like redis://host:6379 or rediss://user:password@host:6380/0';
  }
  if (c.titleModel !== undefined && !/^[^\s]{1,200}$/.test(c.titleModel)) {
    return `--title-model (PARLEY_TITLE_MODEL) must be a model name (no spaces) or off, got "${c.titleModel}"`;
  }
  return checkOpenAI(c) ?? checkAgentUrl(c);
}

/** `--agent ag-ui` and `ai-sdk` post every turn to one URL: without a usable one, no turn could run. */
function checkAgentUrl(c: RelayConfig): string | undefined {
  if (c.agent !== 'ag-ui' && c.agent !== 'ai-sdk') return undefined;
  if (c.agentUrl === undefined) {
    return `--agent ${c.agent} needs --agent-url (PARLEY_AGENT_URL), e.g. http://localhost:8000/agent`;
  }
  let url: URL | undefined;
  try {
    url = new URL(c.agentUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return `--agent-url (PARLEY_AGENT_URL) must be an http(s) URL such as http://localhost:8000/agent, got "${c.agentUrl}"`;
  }
  if (url.username || url.password) return '--agent-url must not contain credentials: set PARLEY_AGENT_URL_KEY';
  return undefined;
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
