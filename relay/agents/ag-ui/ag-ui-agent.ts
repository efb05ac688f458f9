/** The `ag-ui` agent: drives an AG-UI agent over HTTP (RunAgentInput in, an SSE event stream out); stop aborts the run. */

import type { Interrupt } from '@ag-ui/core';
import type { AgentEvent, AgentInfo, TurnRequest } from '../../../shared/index.ts';
import { TurnError, type Agent } from '../../core/agent.ts';
import type { Logger } from '../../core/logger.ts';
import { endpointHeaders, fetchEndpoint, type Endpoint } from '../http-endpoint.ts';
import { askUser, type PendingRequest } from '../pending-request.ts';
import { AgUiMapper } from './event-mapper.ts';
import { readAgUiEvents } from './read-events.ts';
import { buildRunInput } from './run-input.ts';
import { ThreadMemories } from './thread-memory.ts';

export interface AgUiAgentOptions {
  url: string;
  key: string | undefined;
  logger: Logger;
}

export class AgUiAgent implements Agent {
  private readonly endpoint: Endpoint;
  private readonly threads = new ThreadMemories();

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

  async *run(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const memory = this.threads.get(turn.chat_id);
    let res: Response;
    try {
      res = await fetchEndpoint(this.endpoint, this.options.url, {
        method: 'POST',
        headers: endpointHeaders(this.endpoint, 'text/event-stream'),
        body: JSON.stringify(buildRunInput(turn, memory)),
        signal,
      });
    } catch (err) {
      if (signal.aborted) return;
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
      if (signal.aborted) return;
      throw err;
    } finally {
      // A bad event or a stop leaves the agent still sending: cancelling the body closes the connection.
      await res.body?.cancel().catch(() => undefined);
    }
    const end = mapper.end;
    if (!end) throw new TurnError('The AG-UI agent closed the stream before the run finished.');
    if (end.type === 'cancelled') throw new TurnError('The AG-UI agent cancelled the run.');
    if (end.type === 'interrupt') askUser(end.interrupts.map((i) => this.pending(turn, mapper, i)));
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
