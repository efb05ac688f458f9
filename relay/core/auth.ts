/** Who may connect: client and agent credentials, issued single-use tokens, the Origin allowlist. */

import type { CoreConfig } from './options.ts';
import { hostKnown, hostName } from './host.ts';
import { randomId } from './ids.ts';
import type { RequestInfo } from './socket.ts';

/** The subprotocol a browser asks for; it may also offer `parley.auth.<token>` to carry its token. */
export const SUBPROTOCOL = 'parley.v2';
/** The agent endpoint's subprotocol, versioned with `AGENT_PROTOCOL_VERSION` (still 1). */
export const AGENT_SUBPROTOCOL = 'parley.v1';
/** Subprotocols of earlier protocol versions, refused with a reason that says what to do. */
const OLD_SUBPROTOCOL = /^parley\.v\d+$/;
const AUTH_PROTOCOL_PREFIX = 'parley.auth.';

/** The subprotocol a handshake gets: the client protocol's, else the agent endpoint's; never `parley.auth.…`. */
export function pickSubprotocol(offered: readonly string[]): string | undefined {
  return [SUBPROTOCOL, AGENT_SUBPROTOCOL].find((p) => offered.includes(p));
}

const encoder = new TextEncoder();

/** Compares secrets in time that depends only on the length of `expected`. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % Math.max(a.length, 1)] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export type Denial = { ok: false; status: 400 | 401 | 403 | 404 | 421 | 429; reason: string };
/** `credential` names what the connection authenticated with, for limits shared by all its connections. */
export type ClientGrant = { ok: true; clientId: string; protocol: string | undefined; credential: string };

/** Issues short-lived single-use client tokens (seed 002's token issue route). */
export class TokenIssuer {
  /** token → expiry (ms since epoch); one map, so nothing has to be kept in step. */
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): { token: string; expires_in: number } {
    this.sweep();
    const token = `pt_${randomId(32)}`;
    this.issued.set(token, this.now() + this.ttlMs);
    return { token, expires_in: Math.round(this.ttlMs / 1000) };
  }

  /** Consumes a token: true once for a live token, false after, or when expired or unknown. */
  take(token: string): boolean {
    const expiry = this.issued.get(token);
    if (expiry === undefined) return false;
    this.issued.delete(token);
    return expiry > this.now();
  }

  get size(): number {
    return this.issued.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, expiry] of this.issued) if (expiry <= now) this.issued.delete(token);
  }
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Browsers always send Origin on WebSocket handshakes and cross-origin requests; other clients may omit
 * it and rely on the token. The relay's own origin counts only under a Host it is served under (see
 * host.ts): otherwise a DNS-rebinding page, whose Origin matches the Host it forged, would pass.
 */
export function originAllowed(
  req: RequestInfo,
  config: Pick<CoreConfig, 'allowedOrigins' | 'allowedHosts' | 'host'>,
): boolean {
  const origin = req.header('origin');
  if (origin === undefined) return true;
  const host = req.header('host');
  const name = host === undefined ? undefined : hostName(host);
  // Same origin: either scheme, because a TLS-terminating proxy in front turns https into plain http here.
  if (host && name && hostKnown(name, config) && (origin === `https://${host}` || origin === `http://${host}`))
    return true;
  if (config.allowedOrigins.length > 0) return config.allowedOrigins.includes(origin);
  return LOCAL_ORIGIN.test(origin);
}

function queryParam(req: RequestInfo, name: string): string | undefined {
  const q = req.url.indexOf('?');
  if (q === -1) return undefined;
  return new URLSearchParams(req.url.slice(q + 1)).get(name) ?? undefined;
}

function offeredProtocols(req: RequestInfo): string[] {
  return (req.header('sec-websocket-protocol') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Decides a browser client's handshake. `limits` refuses for capacity (the per-address cap); it runs
 * just before the token, so a handshake refused for any reason never uses up a single-use token.
 */
export function authorizeClient(
  req: RequestInfo,
  config: CoreConfig,
  issuer: TokenIssuer | undefined,
  limits: () => Denial | undefined = () => undefined,
): ClientGrant | Denial {
  if (!originAllowed(req, config)) return { ok: false, status: 403, reason: 'origin not allowed' };
  const protocols = offeredProtocols(req);
  // Browsers fail a handshake unless the server picks one of the offered subprotocols, so parley.v2 must be among them.
  if (protocols.length > 0 && !protocols.includes(SUBPROTOCOL)) {
    const old = protocols.find((p) => OLD_SUBPROTOCOL.test(p));
    const reason = old
      ? `this relay speaks protocol 2 (${SUBPROTOCOL}), not ${old}: update the client (docs/PROTOCOL.md, "Versions")`
      : `offer the ${SUBPROTOCOL} subprotocol`;
    return { ok: false, status: 400, reason };
  }
  const rawId = queryParam(req, 'client_id') ?? '';
  if (rawId !== '' && !/^[A-Za-z0-9_.:-]{1,128}$/.test(rawId)) {
    return { ok: false, status: 403, reason: 'client_id must match [A-Za-z0-9_.:-]{1,128}' };
  }
  if (config.allowClients.length > 0 && !config.allowClients.includes(rawId)) {
    return { ok: false, status: 403, reason: 'client_id not allowed' };
  }
  const over = limits();
  if (over) return over;
  const fromProtocol = protocols.find((p) => p.startsWith(AUTH_PROTOCOL_PREFIX))?.slice(AUTH_PROTOCOL_PREFIX.length);
  const token = fromProtocol ?? queryParam(req, 'token');
  const needsToken = config.token !== undefined || issuer !== undefined;
  // Without a token, connections are told apart by address; the static token is one shared credential.
  let credential = `ip:${req.remote}`;
  if (needsToken) {
    if (!token) return { ok: false, status: 401, reason: 'token required' };
    const staticOk = config.token !== undefined && constantTimeEqual(token, config.token);
    if (!staticOk && !(issuer?.take(token) ?? false))
      return { ok: false, status: 401, reason: 'invalid or expired token' };
    credential = staticOk ? 'token:static' : `token:issued:${req.remote}`;
  }
  const clientId = rawId || `anon-${randomId(10)}`;
  return { ok: true, clientId, protocol: protocols.length > 0 ? SUBPROTOCOL : undefined, credential };
}

/** Decides an agent process's handshake: only the agent credential opens the agent endpoint. */
export function authorizeAgent(req: RequestInfo, config: CoreConfig): { ok: true } | Denial {
  if (!config.agentToken) return { ok: false, status: 404, reason: 'agent endpoint disabled (no --agent-token)' };
  const auth = req.header('authorization');
  const token = auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : queryParam(req, 'token');
  if (!token) return { ok: false, status: 401, reason: 'agent token required' };
  if (!constantTimeEqual(token, config.agentToken)) return { ok: false, status: 401, reason: 'invalid agent token' };
  return { ok: true };
}

/** Checks the bearer secret on the token issue route. */
export function authorizeIssue(req: RequestInfo, secret: string): boolean {
  const auth = req.header('authorization');
  const given = auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : req.header('x-parley-auth');
  return given !== undefined && constantTimeEqual(given, secret);
}
