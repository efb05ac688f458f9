/**
 * The `ai-sdk` agent: any endpoint answering with the AI SDK UI message stream (`x-vercel-ai-ui-message-stream:
 * v1`), driven through the SDK's own `DefaultChatTransport` (the request `useChat` sends, each chunk checked
 * against the SDK's schema); stop aborts the request.
 */

import type { UIMessage, UIMessageChunk } from 'ai';
import { AllowedTools, type AgentEvent, type AgentInfo, type TurnRequest } from '../../../shared/index.ts';
import { TurnError, type Agent } from '../../core/agent.ts';
import type { Logger } from '../../core/logger.ts';
import { endpointHeaders, fetchEndpoint, type Endpoint } from '../http-endpoint.ts';
import { shorten } from '../openai/errors.ts';
import { askUser } from '../pending-request.ts';
import { ChunkMapper } from './chunk-mapper.ts';
import { approvalMessage, toUIMessages, type ApprovalResponse } from './ui-messages.ts';
import { forwardedSettings } from '../sampling-params.ts';

export interface AiSdkAgentOptions {
  url: string;
  key: string | undefined;
  logger: Logger;
}

/** Requests resumed in one turn without asking, before Parley asks anyway. */
const MAX_AUTO_APPROVALS = 10;
/** Chats whose last request is remembered for resuming after an answer (the oldest used is forgotten first). */
const MAX_REMEMBERED_CHATS = 1000;

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
  /** Tools the user allowed for good, per chat (for this relay process's life). */
  private readonly allowed = new AllowedTools();
  private readonly sent = new Map<string, UIMessage[]>();

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

  /**
   * One turn: one request to the endpoint, or, after an answer, the request that resumes it with the decision on
   * the tool part (as `useChat` does after `addToolApprovalResponse`). Approval requests end the turn with Parley
   * requests (askUser); one for a tool the user allowed for good in this chat is approved at once, in this turn.
   */
  async *run(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const sent = turn.input.kind === 'answer' ? (this.sent.get(turn.chat_id) ?? []) : toUIMessages(turn);
    let messages = sent;
    let answered: ApprovalResponse[] = [];
    if (turn.input.kind === 'answer') {
      const { request, answer } = turn.input;
      if (request.kind !== 'approval') throw new TurnError('The AI SDK endpoint asked no question to answer.');
      if (answer.kind === 'approval') this.allowed.note(turn.chat_id, turn.input);
      const approved = answer.kind === 'approval' && answer.decision !== 'deny';
      const reason = answer.kind === 'question' ? undefined : answer.reason;
      const response = {
        approvalId: request.id,
        toolCallId: request.call_id,
        toolName: request.tool,
        arguments: request.arguments,
        approved,
        ...(reason ? { reason } : {}),
      };
      messages = [...sent, approvalMessage(turn.input.message_id, [response])];
      answered = [response];
    }
    for (let round = 0; ; round++) {
      const mapper = yield* this.request(turn, messages, answered, round > 0, signal);
      if (!mapper) return;
      if (mapper.approvals.length > 0) {
        const pending = mapper.approvals.map((a) => ({
          kind: 'tool_approval' as const,
          source: 'ai-sdk' as const,
          chat_id: turn.chat_id,
          turn_id: turn.turn_id,
          resume_id: a.approvalId,
          tool_call_id: a.toolCallId,
          ...(a.call ? { tool_name: a.call.name, arguments: a.call.arguments } : {}),
        }));
        const allAllowed = pending.every(
          (p) => p.tool_name !== undefined && this.allowed.has(turn.chat_id, p.tool_name),
        );
        if (allAllowed && round < MAX_AUTO_APPROVALS) {
          const responses = pending.map((p) => ({
            approvalId: p.resume_id,
            toolCallId: p.tool_call_id,
            toolName: p.tool_name ?? '',
            arguments: p.arguments ?? '{}',
            approved: true,
          }));
          messages = [...messages, approvalMessage(turn.message_id, responses)];
          answered = responses;
          continue;
        }
        // What the answer's turn sends back, with the decision on these tool parts added.
        this.remember(turn.chat_id, messages);
        yield* askUser(pending);
        return;
      }
      if (!mapper.finished) throw new TurnError('The AI SDK endpoint closed the stream before the reply finished.');
      const reason = mapper.finished.reason;
      if (reason === 'length')
        throw new TurnError('The reply reached the maximum length the model allows, and was cut off there.');
      if (reason === 'content-filter') throw new TurnError("The model's content filter stopped this reply.");
      return;
    }
  }

  /** What was last sent for each chat, so an answer can resume the endpoint's run with the same conversation. */
  private remember(chatId: string, messages: UIMessage[]): void {
    this.sent.delete(chatId);
    this.sent.set(chatId, messages);
    for (const oldest of this.sent.keys()) {
      if (this.sent.size <= MAX_REMEMBERED_CHATS) break;
      this.sent.delete(oldest);
    }
  }

  /** One request and its stream; undefined when it was stopped. */
  private async *request(
    turn: TurnRequest,
    messages: UIMessage[],
    answered: readonly ApprovalResponse[],
    shown: boolean,
    signal: AbortSignal,
  ): AsyncGenerator<AgentEvent, ChunkMapper | undefined> {
    const { DefaultChatTransport } = await loadSdk();
    const transport = new DefaultChatTransport({
      api: this.options.url,
      headers: endpointHeaders(this.endpoint, 'text/event-stream'),
      fetch: (input, init) => this.fetch(input, init ?? {}),
    });
    const mapper = new ChunkMapper(this.options.logger);
    mapper.expect(answered, shown);
    const body = forwardedSettings(turn);
    let stream: ReadableStream<UIMessageChunk>;
    try {
      stream = await transport.sendMessages({
        trigger: 'submit-message',
        chatId: turn.chat_id,
        messageId: undefined,
        messages,
        abortSignal: signal,
        // The chat's settings as top-level body fields (model, system, temperature…), as the server's streamText takes them.
        ...(Object.keys(body).length > 0 ? { body } : {}),
      });
    } catch (err) {
      if (signal.aborted) return undefined;
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
      if (signal.aborted) return undefined;
      if (err instanceof TurnError) throw err;
      throw new TurnError(`The AI SDK endpoint sent a stream Parley cannot read (${shorten(errorText(err))}).`);
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return mapper;
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
