/** Maps one AG-UI run's events onto Parley agent events: every AG-UI 1.0 event type has an effect here. */

import { EventType, type ContentPart, type Event, type Message, type RunFinishedOutcome } from '@ag-ui/core';
import { LIMITS, type AgentEvent } from '../../../shared/index.ts';
import { TurnError } from '../../core/agent.ts';
import type { Logger } from '../../core/logger.ts';
import { safeId } from '../http-endpoint.ts';
import { applyJsonPatch } from './json-patch.ts';
import type { ThreadMemory } from './thread-memory.ts';

interface Call {
  call_id: string;
  name: string;
  arguments: string;
  closed: boolean;
}

/** A text or reasoning stream: messages after the first start on a new paragraph. */
class Paragraphs {
  private current: string | undefined;
  private wrote = false;

  /** The separator to put before text of message `id` (empty unless a new message follows written text). */
  enter(id: string | undefined): string {
    const fresh = id !== this.current;
    if (id !== undefined) this.current = id;
    return fresh && this.wrote ? '\n\n' : '';
  }

  write(id: string | undefined, text: string): string {
    const out = this.enter(id) + text;
    if (text) this.wrote = true;
    return out;
  }
}

export class AgUiMapper {
  /** How the run ended, once RUN_FINISHED came. */
  end: RunFinishedOutcome | undefined;
  private readonly text = new Paragraphs();
  private readonly reasoning = new Paragraphs();
  private readonly calls = new Map<string, Call>();
  /** The call the latest TOOL_CALL_CHUNK named: a chunk without an id continues it. */
  private chunkCall: string | undefined;
  private readonly streamed = new Set<string>();
  private readonly subagents = new Map<string, string>();
  private readonly activities = new Map<string, { type: string; content: unknown }>();

  constructor(
    private readonly memory: ThreadMemory,
    private readonly logger: Logger,
  ) {}

  /** The Parley events `event` stands for; throws a `TurnError` for RUN_ERROR or a state change that fails. */
  map(event: Event): AgentEvent[] {
    switch (event.type) {
      case EventType.RUN_STARTED:
        return [];
      case EventType.RUN_FINISHED: {
        const end = event.outcome ?? { type: 'success' };
        this.end = end;
        const waiting =
          end.type === 'interrupt'
            ? end.interrupts.map((i) => i.toolCallId)
            : end.type === 'success'
              ? end.pendingToolCallIds
              : [];
        return this.closeCalls(new Set(waiting));
      }
      case EventType.RUN_ERROR:
        throw new TurnError(`The agent reported an error: ${event.message}${event.code ? ` (${event.code})` : ''}`);
      case EventType.TEXT_MESSAGE_START:
        this.streamed.add(event.messageId);
        return this.delta(this.text.enter(event.messageId));
      case EventType.TEXT_MESSAGE_CONTENT:
        return this.delta(this.text.write(event.messageId, event.delta));
      case EventType.TEXT_MESSAGE_CHUNK:
        if (event.messageId) this.streamed.add(event.messageId);
        return this.delta(this.text.write(event.messageId, event.delta ?? ''));
      case EventType.TEXT_MESSAGE_END:
      case EventType.REASONING_START:
      case EventType.REASONING_END:
      case EventType.REASONING_MESSAGE_END:
        return [];
      case EventType.REASONING_MESSAGE_START:
        return this.thought(this.reasoning.enter(event.messageId));
      case EventType.REASONING_MESSAGE_CONTENT:
        return this.thought(this.reasoning.write(event.messageId, event.delta));
      case EventType.REASONING_MESSAGE_CHUNK:
        return this.thought(this.reasoning.write(event.messageId, event.delta ?? ''));
      case EventType.REASONING_ENCRYPTED_VALUE:
        this.logger.debug('ag-ui encrypted reasoning kept by the agent only', { entity: event.entityId });
        return [];
      case EventType.TOOL_CALL_START:
        return this.startCall(event.toolCallId, event.toolCallName);
      case EventType.TOOL_CALL_ARGS:
        return this.args(event.toolCallId, event.delta);
      case EventType.TOOL_CALL_END: {
        const call = this.calls.get(event.toolCallId);
        if (call) call.closed = true;
        return [];
      }
      case EventType.TOOL_CALL_CHUNK: {
        const id = event.toolCallId ?? this.chunkCall;
        if (id === undefined) return [];
        this.chunkCall = id;
        const start = this.calls.has(id) ? [] : this.startCall(id, event.toolCallName ?? 'tool');
        return [...start, ...this.args(id, event.delta ?? '')];
      }
      case EventType.TOOL_CALL_RESULT:
        return this.result(event.toolCallId, contentText(event.content));
      case EventType.STATE_SNAPSHOT:
        return this.setState(event.snapshot);
      case EventType.STATE_DELTA:
        return this.setState(applyJsonPatch(this.memory.state ?? {}, event.delta, 'state'));
      case EventType.MESSAGES_SNAPSHOT:
        return this.snapshot(event.messages);
      case EventType.ACTIVITY_SNAPSHOT: {
        const known = this.activities.get(event.messageId);
        const content =
          event.replace === false && known ? { ...asRecord(known.content), ...event.content } : event.content;
        return this.activity(event.messageId, event.activityType, content);
      }
      case EventType.ACTIVITY_DELTA: {
        const known = this.activities.get(event.messageId)?.content ?? {};
        return this.activity(event.messageId, event.activityType, applyJsonPatch(known, event.patch, 'activity'));
      }
      case EventType.STEP_STARTED:
        return [{ type: 'step', name: stepName(event.stepName), status: 'started' }];
      case EventType.STEP_FINISHED:
        return [{ type: 'step', name: stepName(event.stepName), status: 'finished' }];
      case EventType.SUBAGENT_STARTED: {
        const name = stepName(`${event.name} (subagent)`);
        this.subagents.set(event.subagentRunId, name);
        return [{ type: 'step', name, status: 'started' }];
      }
      case EventType.SUBAGENT_FINISHED:
      case EventType.SUBAGENT_ERROR: {
        const name = this.subagents.get(event.subagentRunId);
        if (!name) return [];
        return [{ type: 'step', name, status: event.type === EventType.SUBAGENT_ERROR ? 'failed' : 'finished' }];
      }
      case EventType.RAW:
      case EventType.CUSTOM:
        this.logger.debug('ag-ui event ignored', {
          type: event.type,
          name: event.type === EventType.CUSTOM ? event.name : (event.source ?? ''),
        });
        return [];
    }
  }

  /** The tool calls an interrupt names, for the approval hook: name and arguments as streamed. */
  call(toolCallId: string | undefined): { name: string; arguments: string } | undefined {
    return toolCallId === undefined ? undefined : this.calls.get(toolCallId);
  }

  private delta(text: string): AgentEvent[] {
    return text ? [{ type: 'delta', text }] : [];
  }

  private thought(text: string): AgentEvent[] {
    return text ? [{ type: 'reasoning_delta', text }] : [];
  }

  private startCall(id: string, name: string): AgentEvent[] {
    if (this.calls.has(id)) return [];
    const call: Call = {
      call_id: safeId(id, `call_${this.calls.size + 1}`),
      name: name.slice(0, LIMITS.maxLabelChars) || 'tool',
      arguments: '',
      closed: false,
    };
    this.calls.set(id, call);
    return [{ type: 'tool_call', call_id: call.call_id, name: call.name, arguments: '' }];
  }

  private args(id: string, text: string): AgentEvent[] {
    const call = this.calls.get(id);
    if (!call || !text) return [];
    call.arguments += text;
    return [{ type: 'tool_args_delta', call_id: call.call_id, text }];
  }

  private result(id: string, text: string): AgentEvent[] {
    const start = this.calls.has(id) ? [] : this.startCall(id, 'tool');
    const call = this.calls.get(id);
    if (!call) return start;
    this.calls.delete(id);
    const output: AgentEvent[] = text ? [{ type: 'tool_output', call_id: call.call_id, text }] : [];
    return [...start, ...output, { type: 'tool_result', call_id: call.call_id, status: 'done' }];
  }

  /**
   * Calls the agent ended without sending a result ran on its side: shown done, not spinning. Those the run
   * waits on (an interrupt's, `pendingToolCallIds`) did not run, so they stay open and the turn's end fails them.
   */
  private closeCalls(waiting: ReadonlySet<string | undefined>): AgentEvent[] {
    const out: AgentEvent[] = [];
    for (const [id, call] of this.calls)
      if (call.closed && !waiting.has(id)) out.push({ type: 'tool_result', call_id: call.call_id, status: 'done' });
    return out;
  }

  private setState(state: unknown): AgentEvent[] {
    this.memory.state = state;
    return [{ type: 'state_snapshot', state: JSON.stringify(state ?? null, null, 2) }];
  }

  private activity(id: string, type: string, content: unknown): AgentEvent[] {
    this.activities.set(id, { type, content });
    const part = { name: type.slice(0, LIMITS.maxLabelChars) || 'activity', id, data: JSON.stringify(content) };
    return [{ type: 'data_part', part }];
  }

  /** Kept for history; an assistant message the run did not stream (an agent that only sends snapshots) is shown. */
  private snapshot(messages: Message[]): AgentEvent[] {
    this.memory.messages = messages;
    let lastUser = messages.length - 1;
    while (lastUser >= 0 && messages[lastUser]?.role !== 'user') lastUser--;
    const out: AgentEvent[] = [];
    for (const m of messages.slice(lastUser + 1)) {
      if (m.role !== 'assistant' || !m.content || this.streamed.has(m.id)) continue;
      this.streamed.add(m.id);
      out.push(...this.delta(this.text.write(m.id, m.content)));
    }
    return out;
  }
}

function stepName(name: string): string {
  return name.slice(0, LIMITS.maxLabelChars) || 'step';
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}

/** A tool result's content as text: text parts as they are, other parts named. */
export function contentText(content: string | ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
}
