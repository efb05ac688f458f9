/** The two requests the openai agent makes (list models, stream a completion), with errors already mapped. */

import { isObject } from '../../../shared/reader.ts';
import { LIMITS } from '../../../shared/index.ts';
import { httpError, networkError, type Upstream } from './errors.ts';

/** Error bodies are read for their message only; a server that sends megabytes gets cut off. */
const MAX_ERROR_BODY = 64 * 1024;
const MAX_MODELS = 1000;

export function headers(apiKey: string | undefined, accept: string): Record<string, string> {
  return {
    accept,
    'content-type': 'application/json',
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
}

async function readSome(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  for await (const bytes of res.body) {
    text += decoder.decode(bytes, { stream: true });
    if (text.length >= max) break;
  }
  return text.slice(0, max);
}

/** `fetch` that throws a `TurnError` for network failures and error statuses. */
export async function request(url: string, init: RequestInit, up: Upstream): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw networkError(err, up);
  }
  if (!res.ok) {
    const body = await readSome(res, MAX_ERROR_BODY).catch(() => '');
    throw httpError(res.status, body, res.headers.get('retry-after'), up);
  }
  return res;
}

/** `GET {base}/models`: the ids in `data`, in the server's order, skipping any that are not usable names. */
export async function listModels(up: Upstream, apiKey: string | undefined, signal: AbortSignal): Promise<string[]> {
  const res = await request(`${up.baseUrl}${up.path}`, { headers: headers(apiKey, 'application/json'), signal }, up);
  const value: unknown = await res.json();
  const data = isObject(value) ? value['data'] : undefined;
  if (!Array.isArray(data)) throw new Error('the models list has no "data" array');
  const ids: string[] = [];
  for (const item of data) {
    const id = isObject(item) ? item['id'] : undefined;
    if (typeof id === 'string' && id.length > 0 && id.length <= LIMITS.maxLabelChars && !ids.includes(id)) ids.push(id);
    if (ids.length === MAX_MODELS) break;
  }
  return ids;
}
