/** Where the relay is: a `?relay=` parameter, the user's settings, a `config.json` beside the page, or the page's own origin. */

import type { Settings } from './types.ts';

export type RelaySource = 'url parameter' | 'settings' | 'config.json' | 'this server';

export interface RelayConfig {
  url: string;
  token: string;
  /** Where to get a fresh single-use token before each connection attempt (absolute URL), if anywhere. */
  tokenUrl?: string;
  source: RelaySource;
  /** Set when a configured URL was rejected; `url` then falls back to the next source. */
  error?: string;
}

export type UrlCheck = { ok: true; url: string } | { ok: false; error: string };

/** Accepts ws(s) and http(s) URLs (http becomes ws) and paths relative to the page; rejects the rest clearly. */
export function checkRelayUrl(input: string, pageHref: string): UrlCheck {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'The relay URL is empty.' };
  let url: URL;
  try {
    url = new URL(text, pageHref);
  } catch {
    return { ok: false, error: `“${text}” is not a valid URL. Use e.g. wss://relay.example.com/ws.` };
  }
  const schemes: Record<string, string> = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' };
  const scheme = schemes[url.protocol];
  if (!scheme) {
    return {
      ok: false,
      error: `“${text}” uses ${url.protocol} — the relay URL must start with ws://, wss://, http:// or https://.`,
    };
  }
  url.protocol = scheme;
  url.hash = '';
  return { ok: true, url: url.href };
}

/** The relay serving this page: `./ws` relative to it, so sub-path hosting works. */
export function defaultRelayUrl(pageHref: string): string {
  const url = new URL('ws', pageHref);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.href;
}

export interface FileConfig {
  relay?: string;
  token?: string;
  tokenUrl?: string;
}

/**
 * Reads `config.json` beside index.html; a missing file is normal (`{}`), a malformed one is reported (a string).
 * Undefined when it could not be read at all (offline with no copy in the service worker), which says nothing.
 */
export async function loadFileConfig(
  pageHref: string,
  fetchImpl: typeof fetch = fetch,
): Promise<FileConfig | string | undefined> {
  let res: Response;
  try {
    res = await fetchImpl(new URL('config.json', pageHref), { cache: 'no-cache' });
  } catch {
    return undefined;
  }
  if (!res.ok) return {};
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    return 'config.json is not valid JSON; it was ignored.';
  }
  return parseFileConfig(data);
}

/** What a config.json holds, or why it was ignored. */
export function parseFileConfig(data: unknown): FileConfig | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'config.json must be a JSON object.';
  const relay: unknown = Reflect.get(data, 'relay');
  const token: unknown = Reflect.get(data, 'token');
  const tokenUrl: unknown = Reflect.get(data, 'tokenUrl');
  const out: FileConfig = {};
  if (typeof relay === 'string') out.relay = relay;
  if (typeof token === 'string') out.token = token;
  if (typeof tokenUrl === 'string') out.tokenUrl = tokenUrl;
  return out;
}

const KEPT = 'parley-config-json';

/**
 * The config.json this browser read last, so that a start need not wait for the file (a round trip online, a
 * failed fetch offline): the app starts with it and switches if the file read now says otherwise.
 */
export function keptFileConfig(): FileConfig | undefined {
  try {
    const text = localStorage.getItem(KEPT);
    if (text === null) return undefined;
    const kept = parseFileConfig(JSON.parse(text));
    return typeof kept === 'string' ? undefined : kept;
  } catch {
    return undefined;
  }
}

/** Keeps what config.json said for the next start; a malformed file is not kept (the next start reads it again). */
export function keepFileConfig(config: FileConfig | string): void {
  try {
    if (typeof config === 'string') localStorage.removeItem(KEPT);
    else localStorage.setItem(KEPT, JSON.stringify(config));
  } catch {
    // Storage refused (private mode, quota): the next start reads the file first, as without a copy.
  }
}

/** The token endpoint from settings or config.json, relative to the page; http(s) only. */
function resolveTokenUrl(pageHref: string, settings: Settings, file: FileConfig, errors: string[]): string | undefined {
  const value = (settings.tokenUrl || file.tokenUrl || '').trim();
  if (!value) return undefined;
  try {
    const url = new URL(value, pageHref);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  errors.push(`Token endpoint “${value}” rejected: it must be an http(s) URL or a path on this site.`);
  return undefined;
}

/** The origin (host and port) a ws(s) URL points at, for deciding which credentials may go there. */
function hostOf(wsUrl: string): string {
  return new URL(wsUrl).host;
}

/**
 * Picks the relay from the first source that names a valid one; reports a bad one instead of silently ignoring it.
 * Credentials go only to the relay they were configured for: a `?relay=` link to another host gets no
 * saved token and no issued token, so a crafted link cannot collect them.
 */
export function resolveRelay(pageHref: string, settings: Settings, file: FileConfig | string): RelayConfig {
  const errors: string[] = typeof file === 'string' ? [file] : [];
  const fileConfig = typeof file === 'string' ? {} : file;
  const tokenUrl = resolveTokenUrl(pageHref, settings, fileConfig, errors);
  const fallback = defaultRelayUrl(pageHref);
  const checkedOrFallback = (value: string | undefined) => {
    const checked = value === undefined ? undefined : checkRelayUrl(value, pageHref);
    return checked?.ok ? checked.url : fallback;
  };
  // Which host each credential belongs to: the settings' relay (else this server), config.json's relay (else this server).
  const settingsHost = hostOf(checkedOrFallback(settings.relayUrl || undefined));
  const fileHost = hostOf(checkedOrFallback(fileConfig.relay));
  const credentialsFor = (url: string): { token: string; tokenUrl: string | undefined } => {
    const host = hostOf(url);
    if (host === settingsHost && settings.token) return { token: settings.token, tokenUrl };
    if (host === fileHost && fileConfig.token) return { token: fileConfig.token, tokenUrl };
    return { token: '', tokenUrl: host === settingsHost || host === fileHost ? tokenUrl : undefined };
  };
  const param = new URL(pageHref).searchParams.get('relay');
  const candidates: [RelaySource, string | undefined][] = [
    ['url parameter', param ?? undefined],
    ['settings', settings.relayUrl || undefined],
    ['config.json', fileConfig.relay],
  ];
  for (const [source, value] of candidates) {
    if (value === undefined) continue;
    const checked = checkRelayUrl(value, pageHref);
    if (!checked.ok) {
      errors.push(`Relay URL from ${source} rejected: ${checked.error}`);
      continue;
    }
    const creds = credentialsFor(checked.url);
    if (source === 'url parameter' && !creds.token && (settings.token || fileConfig.token)) {
      errors.push(`The link points to ${hostOf(checked.url)}; your saved token is for another relay and was not sent.`);
    }
    return withError({ url: checked.url, token: creds.token, source }, errors, creds.tokenUrl);
  }
  const creds = credentialsFor(fallback);
  return withError({ url: fallback, token: creds.token, source: 'this server' }, errors, creds.tokenUrl);
}

function withError(config: RelayConfig, errors: string[], tokenUrl: string | undefined): RelayConfig {
  const out = tokenUrl ? { ...config, tokenUrl } : config;
  return errors.length ? { ...out, error: errors.join(' ') } : out;
}
