/** What the page should say about the relay itself: a link's relay not remembered yet, or no relay reachable at all. */

import type { RelayConfig } from './config.ts';
import type { ConnectionState } from './relay-connection.ts';
import type { Settings } from './types.ts';

export type RelayAdvice =
  /** Opened from a `?relay=` link whose relay the settings do not name: offer to remember it. */
  | { kind: 'remember'; url: string; forgetsToken: boolean }
  /** The browser is online but this page has never reached a relay: say so, and where to set one. */
  | { kind: 'unreachable'; url: string; reason: string };

export interface AdviceInput {
  relay: RelayConfig;
  settings: Settings;
  state: ConnectionState;
  /** This page reached the relay at least once (a `ready` arrived). */
  reachedOnce: boolean;
  lastError: string;
  online: boolean;
  dismissed: boolean;
}

export function relayAdvice(i: AdviceInput): RelayAdvice | undefined {
  if (i.state === 'offline' && !i.reachedOnce && i.online) {
    return { kind: 'unreachable', url: i.relay.url, reason: i.lastError };
  }
  if (i.relay.source === 'url parameter' && i.settings.relayUrl !== i.relay.url && !i.dismissed) {
    return { kind: 'remember', url: i.relay.url, forgetsToken: i.settings.token !== '' && i.relay.token === '' };
  }
  return undefined;
}

/**
 * The settings that make a link's relay the remembered one. Credentials go along only when they were already
 * the ones for that relay (see resolveRelay): a saved token for another relay is dropped, never sent to this one.
 */
export function rememberRelay(settings: Settings, relay: RelayConfig): Settings {
  return { ...settings, relayUrl: relay.url, token: relay.token, tokenUrl: relay.tokenUrl ? settings.tokenUrl : '' };
}
