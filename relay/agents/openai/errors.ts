/** Turns what can go wrong with an OpenAI-compatible server into `TurnError`s a user can act on. */

import { isObject } from '../../../shared/reader.ts';
import { TurnError } from '../../core/agent.ts';

/** Where the request went, for messages; never holds the API key. */
export interface Upstream {
  baseUrl: string;
  /** The endpoint below the base URL, e.g. `/chat/completions`. */
  path: string;
  model: string;
  hasKey: boolean;
}

const MAX_DETAIL = 300;

export function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}

/** The server's own words: OpenAI's `{error:{message}}`, vLLM's `{message}`, `{error:"…"}`, or the text. */
export function serverMessage(body: string): { message: string; code: string | undefined } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { message: shorten(body), code: undefined };
  }
  if (isObject(value)) {
    const error = value['error'];
    if (typeof error === 'string') return { message: shorten(error), code: undefined };
    const source = isObject(error) ? error : value;
    const message = source['message'] ?? source['detail'];
    const code = source['code'];
    if (typeof message === 'string') {
      return { message: shorten(message), code: typeof code === 'string' ? code : undefined };
    }
  }
  return { message: shorten(body), code: undefined };
}

/** An HTTP error status from the server, with its body already read. */
export function httpError(status: number, body: string, retryAfter: string | null, up: Upstream): TurnError {
  const { message, code } = serverMessage(body);
  const said = message ? `HTTP ${status}: ${message}` : `HTTP ${status}`;
  const host = new URL(up.baseUrl).host;
  if (status === 401 || status === 403) {
    return new TurnError(
      up.hasKey
        ? `The model server at ${host} refused the API key (${said}). Check PARLEY_OPENAI_API_KEY.`
        : `The model server at ${host} needs an API key (${said}). Set PARLEY_OPENAI_API_KEY.`,
    );
  }
  if (status === 404) {
    if (up.path === '/chat/completions' && (code === 'model_not_found' || /model/i.test(message))) {
      return new TurnError(`The model server at ${host} has no model "${up.model}" (${said}).`);
    }
    return new TurnError(
      `Nothing answers at ${up.baseUrl}${up.path} (${said}). Check --base-url; it usually ends in /v1.`,
    );
  }
  if (status === 429) {
    const wait = retryAfter && /^\d+$/.test(retryAfter) ? ` Try again in ${retryAfter} s.` : ' Try again later.';
    return new TurnError(`The model server is rate-limiting requests or out of quota (${said}).${wait}`);
  }
  if (status >= 500) return new TurnError(`The model server at ${host} failed (${said}). Try again in a moment.`);
  return new TurnError(`The model server at ${host} rejected the request (${said}).`);
}

const NETWORK_REASONS: [RegExp, string][] = [
  [/ECONNREFUSED|connection refused/i, 'the connection was refused. Is the server running?'],
  [/ENOTFOUND|EAI_AGAIN|dns error|failed to lookup|name or service not known/i, 'the host name does not resolve.'],
  [/ECONNRESET|connection reset/i, 'the connection was reset.'],
  [/ETIMEDOUT|timed out/i, 'the connection timed out.'],
  [/CERT|certificate|SSL|TLS/i, 'its TLS certificate was not accepted.'],
];

/** No HTTP answer at all: worth trying again later, unlike an error status. */
export class UpstreamUnreachable extends TurnError {}

/** `fetch` itself failed. */
export function networkError(err: unknown, up: Upstream): UpstreamUnreachable {
  return new UpstreamUnreachable(`Cannot reach the model server at ${up.baseUrl}: ${networkReason(err)}`);
}

/** Why `fetch` failed, in words ending with a full stop. Node puts the reason in `cause`, Deno in the message. */
export function networkReason(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    parts.push(e.message);
    if ('code' in e && typeof e.code === 'string') parts.push(e.code);
  }
  const text = parts.join(' ');
  return NETWORK_REASONS.find(([pattern]) => pattern.test(text))?.[1] ?? `${shorten(text) || 'unknown error'}.`;
}

export const streamCut = (): TurnError =>
  new TurnError('The connection to the model server closed before the reply was complete.');

export const malformedStream = (detail: string): TurnError =>
  new TurnError(`The model server sent a stream Parley cannot read (${detail}).`);

export const streamReportedError = (message: string): TurnError =>
  new TurnError(`The model server reported an error in the middle of the reply: ${shorten(message)}`);
