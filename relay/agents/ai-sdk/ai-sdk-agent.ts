/**
 * The `ai-sdk` agent: any endpoint answering with the AI SDK UI message stream (`x-vercel-ai-ui-message-stream:
 * v1`), driven through the SDK's own `DefaultChatTransport` (the request `useChat` sends, each chunk checked
 * against the SDK's schema); stop aborts the request.
 */

import type { UIMessageChunk } from 'ai';
import type { AgentEvent, AgentInfo, TurnRequest } from '../../../shared/index.ts';
import { TurnError, type Agent } from '../../core/agent.ts';
import type { Logger } from '../../core/logger.ts';
import { endpointHeaders, fetchEndpoint, type Endpoint } from '../http-endpoint.ts';
import { shorten } from '../openai/errors.ts';
import { askUser } from '../pending-request.ts';
import { ChunkMapper } from './chunk-mapper.ts';
import { toUIMessages } from './ui-messages.ts';

export interface AiSdkAgentOptions {
  url: string;
  key: string | undefined;
  logger: Logger;
}

/** `ai` is large: loaded on the first turn, so relays running other agents never pay for it. */
let sdk: Promise<typeof import('ai')> | undefined;

function loadSdk(): Promise<typeof import('ai')> {
  sdk ??= import('ai').catch((err: unknown) => {
    sdk = undefined;
    // On Deno, the SDK's gateway module reads the host name as it loads (`--allow-sys=hostname`).
    throw new TurnError(`The AI SDK (the "ai" package) could not load: ${errorText(err)}`);
  });
  return sdk;
}

export class AiSdkAgent implements Agent {
  private readonly endpoint: Endpoint;

  constructor(private readonly options: AiSdkAgentOptions) {
    this.endpoint = { url: options.url, key: options.key, label: 'AI SDK endpoint' };
  }

  info(): AgentInfo {
    return {
      name: `AI SDK agent at ${new URL(this.options.url).host}`,
      capabilities: ['markdown', 'reasoning', 'tools', 'files', 'attachments', 'stop'],
      online: true,
    };
  }

  async *run(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const { DefaultChatTransport } = await loadSdk();
    const transport = new DefaultChatTransport({
      api: this.options.url,
      headers: endpointHeaders(this.endpoint, 'text/event-stream'),
      fetch: (input, init) => this.fetch(input, init ?? {}),
    });
    const mapper = new ChunkMapper(this.options.logger);
    let stream: ReadableStream<UIMessageChunk>;
    try {
      stream = await transport.sendMessages({
        trigger: 'submit-message',
        chatId: turn.chat_id,
        messageId: undefined,
        messages: toUIMessages(turn),
        abortSignal: signal,
        // Parley has no per-chat settings yet: the model picked for this message is all a turn carries.
        ...(turn.model === undefined ? {} : { body: { model: turn.model } }),
      });
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const reader = stream.getReader();
    try {
      while (true) {
        const next = await reader.read();
        if (next.done) break;
        yield* mapper.map(next.value);
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof TurnError) throw err;
      throw new TurnError(`The AI SDK endpoint sent a stream Parley cannot read (${shorten(errorText(err))}).`);
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    if (mapper.approvals.length > 0) {
      askUser(
        mapper.approvals.map((a) => ({
          kind: 'tool_approval',
          source: 'ai-sdk',
          chat_id: turn.chat_id,
          turn_id: turn.turn_id,
          resume_id: a.approvalId,
          tool_call_id: a.toolCallId,
          ...(a.call ? { tool_name: a.call.name, arguments: a.call.arguments } : {}),
        })),
      );
    }
    if (!mapper.finished) throw new TurnError('The AI SDK endpoint closed the stream before the reply finished.');
    const reason = mapper.finished.reason;
    if (reason === 'length')
      throw new TurnError('The reply reached the maximum length the model allows, and was cut off there.');
    if (reason === 'content-filter') throw new TurnError("The model's content filter stopped this reply.");
  }

  /** The transport's fetch: HTTP failures become readable turn errors, and the answer must be a UI message stream. */
  private async fetch(input: string | URL | Request, init: RequestInit): Promise<Response> {
    const res = await fetchEndpoint(this.endpoint, input instanceof Request ? input.url : input, init);
    const type = res.headers.get('content-type') ?? '';
    const version = res.headers.get('x-vercel-ai-ui-message-stream');
    if (version !== 'v1' && !type.includes('text/event-stream')) {
      await res.body?.cancel();
      throw new TurnError(
        `The AI SDK endpoint at ${this.options.url} answered with ${type || 'no content type'}, not a UI message stream (answer with toUIMessageStreamResponse()).`,
      );
    }
    if (version !== 'v1') this.options.logger.debug('ai-sdk stream without its version header', { type });
    return res;
  }
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // The SDK's validation errors put the offending value in `cause`.
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}
