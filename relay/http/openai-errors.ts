/** Error answers of the OpenAI-compatible facade, in the shape OpenAI's clients parse: `{"error": {…}}`. */

import { json, type HttpResponse } from '../core/http.ts';

export type OpenAIErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'server_error';

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export function errorBody(
  message: string,
  type: OpenAIErrorType,
  code: string | null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/**
 * An error response. `retry: false` sets `x-should-retry`, which OpenAI's SDKs obey: a failed agent
 * turn may have had effects, so it is not silently run again.
 */
export function openAIError(
  status: number,
  body: OpenAIErrorBody,
  options: { retry?: boolean; headers?: Record<string, string> } = {},
): HttpResponse {
  return json(status, body, {
    ...(options.retry === false ? { 'x-should-retry': 'false' } : {}),
    ...options.headers,
  });
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null): HttpResponse =>
  openAIError(400, errorBody(message, 'invalid_request_error', code, param));
