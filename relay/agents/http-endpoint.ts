/** Posting a turn to an agent framework's HTTP endpoint (AG-UI, AI SDK), with failures turned into readable turn errors. */

import { TurnError } from '../core/agent.ts';
import { networkReason, serverMessage } from './openai/errors.ts';

/** Where a bridge sends its turns, and how the endpoint is named to the user. */
export interface Endpoint {
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  key: string | undefined;
  /** "AG-UI agent", "AI SDK endpoint": how the user's error messages name it. */
  label: string;
}

/** Error bodies are read for their message only; a server that sends megabytes gets cut off. */
const MAX_ERROR_BODY = 64 * 1024;

export function endpointHeaders(endpoint: Endpoint, accept: string): Record<string, string> {
  return {
    accept,
    'content-type': 'application/json',
    ...(endpoint.key ? { authorization: `Bearer ${endpoint.key}` } : {}),
  };
}

/**
 * `fetch` that throws a `TurnError` for a network failure or an error status (an abort is rethrown as is, so
 * the bridge can tell a stop from a failure).
 */
export async function fetchEndpoint(endpoint: Endpoint, input: string | URL, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(input, init);
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new TurnError(`Cannot reach the ${endpoint.label} at ${endpoint.url}: ${networkReason(err)}`);
  }
  if (res.ok) return res;
  const body = await readSome(res).catch(() => '');
  const { message } = serverMessage(body);
  const said = message ? `HTTP ${res.status}: ${message}` : `HTTP ${res.status}`;
  if (res.status === 401 || res.status === 403) {
    throw new TurnError(
      `The ${endpoint.label} at ${endpoint.url} refused the request (${said}). ` +
        (endpoint.key ? 'Check PARLEY_AGENT_URL_KEY.' : 'Set PARLEY_AGENT_URL_KEY if it needs a token.'),
    );
  }
  if (res.status === 404) throw new TurnError(`Nothing answers at ${endpoint.url} (${said}). Check --agent-url.`);
  throw new TurnError(`The ${endpoint.label} at ${endpoint.url} failed (${said}).`);
}

async function readSome(res: Response): Promise<string> {
  if (!res.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  for await (const bytes of res.body) {
    text += decoder.decode(bytes, { stream: true });
    if (text.length >= MAX_ERROR_BODY) break;
  }
  return text.slice(0, MAX_ERROR_BODY);
}

/** Tool call ids reach every client, which checks them against the protocol's id grammar. */
export function safeId(id: string | undefined, fallback: string): string {
  const cleaned = (id ?? '').replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 128);
  return cleaned.length > 0 ? cleaned : fallback;
}
