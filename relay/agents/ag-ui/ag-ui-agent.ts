/** The `ag-ui` agent: drives an AG-UI agent over HTTP (RunAgentInput in, an SSE event stream out); stop aborts the run. */

import type { Interrupt, ResumeEntry } from '@ag-ui/core';
import {
  AllowedTools,
  type AgentEvent,
  type AgentInfo,
  type AnswerInput,
  type TurnRequest,
} from '../../../shared/index.ts';
import { TurnError, type Agent } from '../../core/agent.ts';
import type { Logger } from '../../core/logger.ts';
import { endpointHeaders, fetchEndpoint, type Endpoint } from '../http-endpoint.ts';
import { askUser, type PendingRequest } from '../pending-request.ts';
import { AgUiMapper } from './event-mapper.ts';
import { readAgUiEvents } from './read-events.ts';
import { buildRunInput } from './run-input.ts';
import { ThreadMemories, type ThreadMemory } from './thread-memory.ts';

/** Runs resumed in one turn without asking, before Parley asks anyway (an agent that interrupts forever). */
const MAX_AUTO_RESUMES = 10;

export interface AgUiAgentOptions {
  url: string;
  key: string | undefined;
  logger: Logger;
}

export class AgUiAgent implements Agent {
  private readonly endpoint: Endpoint;
  private readonly threads = new ThreadMemories();
  /** Tools the user allowed for good, per chat (for this relay process's life). */
  private readonly allowed = new AllowedTools();

  constructor(private readonly options: AgUiAgentOptions) {
    this.endpoint = { url: options.url, key: options.key, label: 'AG-UI agent' };
  }

  info(): AgentInfo {
    return {
      name: `AG-UI agent at ${new URL(this.options.url).host}`,
      capabilities: ['markdown', 'reasoning', 'tools', 'attachments', 'stop'],
      online: true,
    };
  }

  /**
   * One turn: one run of the agent, or, after an answer, the run that resumes it. An interrupt ends the turn with
   * Parley requests (askUser); one the user already allowed for good ("always", this chat) is answered at once and
   * the run resumed within the same turn.
   */
  async *run(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const memory = this.threads.get(turn.chat_id);
    const answer = turn.input.kind === 'answer' ? turn.input : undefined;
    let resume = answer ? [...memory.resume.splice(0), this.resumeEntry(turn.chat_id, answer)] : [];
    for (let round = 0; ; round++) {
      const runId = round === 0 ? turn.turn_id : `${turn.turn_id}-${round}`;
      const outcome = yield* this.runOnce(turn, memory, signal, resume, runId);
      if (outcome?.type !== 'interrupt') return;
      const pending = outcome.interrupts.map((i) => this.pending(turn, outcome.mapper, i));
      const allowed = pending.filter(
        (p) => p.kind === 'tool_approval' && p.tool_name !== undefined && this.allowed.has(turn.chat_id, p.tool_name),
      );
      const granted: ResumeEntry[] = allowed.map((p) => ({
        interruptId: p.resume_id,
        status: 'resolved',
        payload: { approved: true },
      }));
      const asked = pending.filter((p) => !allowed.includes(p));
      if (asked.length === 0 && round < MAX_AUTO_RESUMES) {
        resume = granted;
        continue;
      }
      memory.resume = granted;
      yield* askUser(asked.length > 0 ? asked : pending);
      return;
    }
  }

  /** One HTTP run; undefined when it was stopped. */
  private async *runOnce(
    turn: TurnRequest,
    memory: ThreadMemory,
    signal: AbortSignal,
    resume: ResumeEntry[],
    runId: string,
  ): AsyncGenerator<
    AgentEvent,
    { type: 'done' } | { type: 'interrupt'; interrupts: Interrupt[]; mapper: AgUiMapper } | undefined
  > {
    let res: Response;
    try {
      res = await fetchEndpoint(this.endpoint, this.options.url, {
        method: 'POST',
        headers: endpointHeaders(this.endpoint, 'text/event-stream'),
        body: JSON.stringify(buildRunInput(turn, memory, resume, runId)),
        signal,
      });
    } catch (err) {
      if (signal.aborted) return undefined;
      throw err;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      await res.body?.cancel();
      throw new TurnError(
        `The AG-UI agent at ${this.options.url} answered with ${type || 'no content type'}, not an event stream.`,
      );
    }
    const mapper = new AgUiMapper(memory, this.options.logger);
    try {
      for await (const event of readAgUiEvents(res.body ?? emptyBody())) {
        yield* mapper.map(event);
        if (mapper.end) break;
      }
    } catch (err) {
      if (signal.aborted) return undefined;
      throw err;
    } finally {
      // A bad event or a stop leaves the agent still sending: cancelling the body closes the connection.
      await res.body?.cancel().catch(() => undefined);
    }
    const end = mapper.end;
    if (!end) throw new TurnError('The AG-UI agent closed the stream before the run finished.');
    if (end.type === 'cancelled') throw new TurnError('The AG-UI agent cancelled the run.');
    if (end.type === 'interrupt') return { type: 'interrupt', interrupts: end.interrupts, mapper };
    return { type: 'done' };
  }

  /** The resume entry an answer makes: an approval as `{ approved, reason? }`, a form as its values. */
  private resumeEntry(chatId: string, input: AnswerInput): ResumeEntry {
    const { request, answer } = input;
    if (answer.kind === 'decline') {
      return {
        interruptId: request.id,
        status: 'cancelled',
        ...(answer.reason ? { payload: { reason: answer.reason } } : {}),
      };
    }
    if (answer.kind === 'approval') {
      this.allowed.note(chatId, input);
      const approved = answer.decision !== 'deny';
      return {
        interruptId: request.id,
        status: 'resolved',
        payload: { approved, ...(answer.reason ? { reason: answer.reason } : {}) },
      };
    }
    return { interruptId: request.id, status: 'resolved', payload: answer.values };
  }

  private pending(turn: TurnRequest, mapper: AgUiMapper, interrupt: Interrupt): PendingRequest {
    const call = mapper.call(interrupt.toolCallId);
    return {
      kind: interrupt.toolCallId !== undefined ? 'tool_approval' : 'question',
      source: 'ag-ui',
      chat_id: turn.chat_id,
      turn_id: turn.turn_id,
      resume_id: interrupt.id,
      ...(interrupt.toolCallId === undefined ? {} : { tool_call_id: interrupt.toolCallId }),
      ...(call ? { tool_name: call.name, arguments: call.arguments } : {}),
      reason: interrupt.reason,
      ...(interrupt.message ? { message: interrupt.message } : {}),
      ...(interrupt.responseSchema === undefined ? {} : { response_schema: JSON.stringify(interrupt.responseSchema) }),
      ...(interrupt.expiresAt === undefined ? {} : { expires_at: interrupt.expiresAt }),
    };
  }
}

function emptyBody(): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: async function* () {} };
}
