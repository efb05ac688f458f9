/** Which `Host` names the relay answers to: its defence against DNS rebinding, applied to every endpoint. */

import type { CoreConfig } from './options.ts';
import type { Denial } from './auth.ts';
import type { RequestInfo } from './socket.ts';

/** Names a browser can only reach on this machine; their DNS answer is not up to an attacker. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** `--allowed-hosts *`: any Host is answered, but only listed names count as the relay's own origin. */
export const ANY_HOST = '*';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;
const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** The name part of a `Host` header (lower case, IPv6 in brackets), or undefined when it is not a host[:port]. */
export function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const m = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  const name = m?.[1];
  if (name === undefined || !(IPV4.test(name) || IPV6.test(name) || NAME.test(name))) return undefined;
  return name;
}

/** True for a name an `--allowed-hosts` entry may hold: a DNS name, an IP address, or `*`. */
export function validHostEntry(entry: string): boolean {
  return entry === ANY_HOST || hostName(entry) === entry.toLowerCase();
}

/**
 * True when `name` is one the relay is served under: a loopback name, an IP address (rebinding needs a
 * DNS name, so an address in Host is the address the browser really dialled), the name it listens on,
 * or a listed name.
 */
export function hostKnown(name: string, config: Pick<CoreConfig, 'host' | 'allowedHosts'>): boolean {
  if (LOOPBACK_NAMES.has(name) || IPV4.test(name) || IPV6.test(name)) return true;
  if (name === config.host.toLowerCase()) return true;
  return config.allowedHosts.some((h) => h !== ANY_HOST && h.toLowerCase() === name);
}

/**
 * Refuses a request whose Host the relay is not served under (421), before any route sees it.
 * No Host at all is not a browser (browsers always send one), so it is left to the other checks.
 */
export function checkHost(req: RequestInfo, config: Pick<CoreConfig, 'host' | 'allowedHosts'>): Denial | undefined {
  const header = req.header('host');
  if (header === undefined) return undefined;
  const name = hostName(header);
  if (name === undefined) return { ok: false, status: 400, reason: 'malformed Host header' };
  if (hostKnown(name, config) || config.allowedHosts.includes(ANY_HOST)) return undefined;
  return {
    ok: false,
    status: 421,
    reason: `this relay is not served under the name ${JSON.stringify(name)}; add it with --allowed-hosts (PARLEY_ALLOWED_HOSTS)`,
  };
}
