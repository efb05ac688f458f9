/** The `openai` agent: any OpenAI-compatible Chat Completions server, streamed, with stop aborting the request. */

import type { AgentEvent, AgentInfo, TurnRequest } from '../../../shared/index.ts';
import type { Logger } from '../../core/logger.ts';
import { TurnError, type Agent } from '../../core/agent.ts';
import { ChunkMapper } from './chunk-mapper.ts';
import { MalformedChunk, parseChunk } from './chunk.ts';
import { malformedStream, streamCut, streamReportedError, UpstreamUnreachable, type Upstream } from './errors.ts';
import { headers, listModels, request } from './http.ts';
import { buildRequestBody } from './request.ts';
import { askTitle, isFirstReply, RecentSet } from './title.ts';
import { readSse, SseTooLarge, SseTruncated } from '../sse.ts';
import { OPENAI_PARAMS } from '../sampling-params.ts';

export interface OpenAIAgentOptions {
  /** Up to and including the API version, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey: string | undefined;
  /** Default model; without one, the first model the server lists. */
  model: string | undefined;
  /** `--title-model`: names a chat after its first reply; `off`: never; undefined: with the chat's model. */
  titleModel?: string | undefined;
  systemPrompt: string | undefined;
  contextChars: number;
  logger: Logger;
}

export class OpenAIAgent implements Agent {
  private readonly baseUrl: string;
  private models: string[] | undefined;
  /** Why the model list could not be fetched, when the server was unreachable. */
  private unreachable: UpstreamUnreachable | undefined;
  private loading: Promise<void> | undefined;
  private readonly listeners = new Set<(info: AgentInfo) => void>();
  private readonly closing = new AbortController();
  /** Chats this process already named: a turn's context may not show the earlier reply (a trimmed history). */
  private readonly titled = new RecentSet(10_000);

  constructor(private readonly options: OpenAIAgentOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    void this.loadModels();
  }

  info(): AgentInfo {
    const model = this.options.model ?? this.models?.[0];
    return {
      name: this.options.model ?? new URL(this.baseUrl).host,
      capabilities: ['markdown', 'reasoning', 'tools', 'attachments', 'models', 'stop'],
      ...(this.models?.length ? { models: this.models } : {}),
      ...(model ? { model } : {}),
      params: OPENAI_PARAMS,
      online: true,
    };
  }

  watch(listener: (info: AgentInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closing.abort();
  }

  async *run(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    // A server that was down at start-up may be up now: try the model list again, without waiting for it.
    if (this.models === undefined) void this.loadModels();
    const model = turn.model ?? this.options.model ?? (await this.firstModel());
    if (!model) {
      throw (
        this.unreachable ??
        new TurnError('No model is chosen: start the relay with --model, or check that the server lists models.')
      );
    }
    const up = this.upstream('/chat/completions', model);
    const body = buildRequestBody(turn, { ...this.options, model });
    let res: Response;
    try {
      res = await request(
        `${up.baseUrl}${up.path}`,
        {
          method: 'POST',
          headers: headers(this.options.apiKey, 'text/event-stream'),
          body: JSON.stringify(body),
          signal,
        },
        up,
      );
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      await res.body?.cancel();
      throw malformedStream(`it answered with ${type || 'no content type'} instead of an event stream`);
    }
    let reply = '';
    for await (const event of this.stream(res, turn, signal)) {
      if (event.type === 'delta') reply += event.text;
      yield event;
    }
    const titleModel = this.options.titleModel ?? model;
    if (titleModel === 'off' || signal.aborted || !isFirstReply(turn) || !reply.trim()) return;
    if (!this.titled.add(turn.chat_id)) return;
    const title = await askTitle(this.upstream('/chat/completions', titleModel), this.options, turn, reply, signal);
    if (title) yield { type: 'title', title };
  }

  private async *stream(res: Response, turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const mapper = new ChunkMapper();
    let sawDone = false;
    try {
      for await (const event of readSse(res.body ?? emptyBody())) {
        if (event.data === '[DONE]') {
          sawDone = true;
          break;
        }
        const chunk = parseChunk(event.data);
        if (chunk.kind === 'error') throw streamReportedError(chunk.message);
        yield* mapper.map(chunk);
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof TurnError) throw err;
      if (err instanceof MalformedChunk || err instanceof SseTooLarge) throw malformedStream(err.message);
      if (!(err instanceof SseTruncated)) this.options.logger.debug('openai stream failed', { error: String(err) });
      throw streamCut();
    }
    // A server may close without `[DONE]` after a finished choice; without either, the reply was cut short.
    if (!sawDone && mapper.finishReason === undefined) throw streamCut();
    yield* mapper.flush();
    this.options.logger.debug('openai turn', {
      chat: turn.chat_id,
      finish: mapper.finishReason,
      prompt_tokens: mapper.usage?.promptTokens,
      completion_tokens: mapper.usage?.completionTokens,
    });
    if (mapper.finishReason === 'content_filter')
      throw new TurnError("The server's content filter stopped this reply.");
    if (mapper.finishReason === 'length') {
      throw new TurnError('The reply reached the maximum length the model server allows, and was cut off there.');
    }
  }

  private upstream(path: string, model: string): Upstream {
    return { baseUrl: this.baseUrl, path, model, hasKey: this.options.apiKey !== undefined };
  }

  private async firstModel(): Promise<string | undefined> {
    await this.loadModels();
    return this.models?.[0];
  }

  /** Fetches the model list once at a time; clients hear about it through `watch`. */
  private loadModels(): Promise<void> {
    this.loading ??= listModels(this.upstream('/models', ''), this.options.apiKey, this.closing.signal)
      .then((models) => {
        this.models = models;
        this.unreachable = undefined;
        this.options.logger.info('openai models', { count: models.length, base: this.baseUrl });
        const info = this.info();
        for (const listener of this.listeners) listener(info);
      })
      .catch((err: unknown) => {
        if (this.closing.signal.aborted) return;
        // A server that answered without a usable list will not grow one; an unreachable one may come up.
        if (err instanceof UpstreamUnreachable) this.unreachable = err;
        else this.models = [];
        const reason = err instanceof Error ? err.message : String(err);
        this.options.logger.warn('openai models unavailable', { base: this.baseUrl, error: reason });
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}

function emptyBody(): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: async function* () {} };
}
