/** Runs one agent turn for the facade and answers as Chat Completions: streamed SSE chunks or one JSON object. */

import type { TurnRequest } from '../../shared/index.ts';
import { TurnError, type Agent } from '../core/agent.ts';
import type { Logger } from '../core/logger.ts';
import { errorBody, openAIError } from './openai-errors.ts';
import { json, type HttpResponse } from '../core/http.ts';

export interface CompletionRun {
  agent: Agent;
  turn: TurnRequest;
  /** The model name to report back. */
  model: string;
  id: string;
  created: number;
  logger: Logger;
}

type Piece = { content: string } | { reasoning_content: string };

/** What a user may read when a turn fails: a TurnError's text, never an arbitrary exception's. */
function failureMessage(err: unknown, run: CompletionRun): string {
  if (err instanceof TurnError) return err.message;
  run.logger.warn('facade turn failed', { error: err instanceof Error ? err.message : String(err) });
  return 'The agent failed unexpectedly. The relay log has details.';
}

/**
 * The turn's text and reasoning (the facade has no place for tool calls, files or buttons). Ends as
 * soon as `signal` aborts, even if the agent ignores it, like the relay's own turn runner.
 */
async function* pieces(run: CompletionRun, signal: AbortSignal): AsyncGenerator<Piece> {
  const iterator = run.agent.run(run.turn, signal)[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  try {
    while (true) {
      const next = iterator.next();
      next.catch(() => undefined);
      const result = await Promise.race([next, aborted]);
      if (result === 'aborted' || result.done) return;
      const event = result.value;
      if (event.type === 'delta') yield { content: event.text };
      else if (event.type === 'reasoning_delta') yield { reasoning_content: event.text };
    }
  } finally {
    if (signal.aborted) void iterator.return?.()?.catch(() => undefined);
  }
}

function chunk(run: CompletionRun, delta: object, finishReason: 'stop' | null): string {
  const body = {
    id: run.id,
    object: 'chat.completion.chunk',
    created: run.created,
    model: run.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

async function* sse(run: CompletionRun, signal: AbortSignal): AsyncGenerator<string> {
  yield chunk(run, { role: 'assistant', content: '' }, null);
  try {
    for await (const piece of pieces(run, signal)) yield chunk(run, piece, null);
  } catch (err) {
    if (signal.aborted) return;
    // OpenAI's SDKs raise an APIError for an `error` event inside the stream.
    yield `data: ${JSON.stringify(errorBody(failureMessage(err, run), 'server_error', 'agent_error'))}\n\n`;
    return;
  }
  if (signal.aborted) return;
  yield chunk(run, {}, 'stop');
  yield 'data: [DONE]\n\n';
}

export function streamCompletion(run: CompletionRun, headers: Record<string, string>): HttpResponse {
  const controller = new AbortController();
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers },
    body: { chunks: sse(run, controller.signal), cancel: () => controller.abort() },
  };
}

/** `gone` aborts when the HTTP client disconnects: the turn stops then instead of running on for nobody. */
export async function completeOnce(
  run: CompletionRun,
  headers: Record<string, string>,
  gone: AbortSignal,
): Promise<HttpResponse> {
  let content = '';
  let reasoning = '';
  try {
    for await (const piece of pieces(run, gone)) {
      if ('content' in piece) content += piece.content;
      else reasoning += piece.reasoning_content;
    }
  } catch (err) {
    const body = errorBody(failureMessage(err, run), 'server_error', 'agent_error');
    return openAIError(502, body, { retry: false, headers });
  }
  const message = { role: 'assistant', content, refusal: null, ...(reasoning ? { reasoning_content: reasoning } : {}) };
  return json(
    200,
    {
      id: run.id,
      object: 'chat.completion',
      created: run.created,
      model: run.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: 'stop' }],
      // The relay cannot count tokens for an arbitrary agent; zeros say so without breaking clients.
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    },
    headers,
  );
}
