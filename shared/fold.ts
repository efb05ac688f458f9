/** The one fold of chat events into messages: the relay's compaction, its orphan repair, the client and the tests call it. */

import type { ChatMessage, DataPart, Step, ToolCall } from './model.ts';
import type { ChatEvent, ImportedEvent } from './relay-frames.ts';

type Unstamped<T> = T extends unknown ? Omit<T, 'seq' | 'epoch' | 'chat_id'> : never;

/** A chat event without its relay stamps: the relay folds events it has not published yet (a turn's end). */
export type FoldableEvent = Unstamped<ChatEvent>;

/** The id of the message an event changes. */
export function foldTarget(event: FoldableEvent): string {
  if (event.type === 'workspace' || event.type === 'imported') return '';
  return event.type === 'message' ? event.message.id : event.message_id;
}

/**
 * What an `imported` event adds to a chat: the messages whose id it does not hold yet. One it holds stays as
 * it is, whatever the file said, so every copy of the chat ends the same whichever order it saw its events in.
 */
export function importedAdds(event: Pick<ImportedEvent, 'messages'>, holds: (id: string) => boolean): ChatMessage[] {
  return event.messages.filter((m) => !holds(m.id));
}

/**
 * The message `event` leaves behind, given the message it targets as it stood (undefined: not seen yet).
 * Pure: the input is never changed, and a change returns a new object (so Lit sees it); no change returns the
 * input itself. A turn event for a reply not seen yet starts it (stamped with `turn_start`'s `created_at`, or
 * `at` when its turn_start was not seen); a reply whose turn ended is
 * not reopened by a late event; `retract` withdraws the message (undefined).
 */
export function foldEvent(
  message: ChatMessage | undefined,
  event: Exclude<Extract<FoldableEvent, { turn_id: string }>, { type: 'typing' }>,
  at?: number,
): ChatMessage;
export function foldEvent(
  message: ChatMessage,
  event: Exclude<FoldableEvent, { type: 'retract' }>,
  at?: number,
): ChatMessage;
export function foldEvent(message: ChatMessage | undefined, event: FoldableEvent, at?: number): ChatMessage | undefined;
export function foldEvent(message: ChatMessage | undefined, event: FoldableEvent, at = 0): ChatMessage | undefined {
  switch (event.type) {
    case 'message':
      return event.message;
    case 'retract':
      return undefined;
    case 'action_used':
      if (!message || message.used_actions?.includes(event.action_id)) return message;
      return { ...message, used_actions: [...(message.used_actions ?? []), event.action_id] };
    case 'message_edit':
      return message && { ...message, text: event.text, edited_at: event.edited_at };
    case 'request_answered':
      return message && answered(message, event);
    case 'typing':
    case 'regenerate': // asks for a new version; the turn that follows writes it
    case 'title': // names the chat (a workspace field the client writes), not the message
      return message;
    // A workspace event (its own channel) changes no message; an import adds messages, never one it finds (importedAdds).
    case 'workspace':
    case 'imported':
      return message;
  }
  const base: ChatMessage = message ?? {
    id: event.message_id,
    role: 'assistant',
    text: '',
    // A reply is stamped by its turn_start; `at` places one whose turn_start this copy never saw.
    created_at: event.type === 'turn_start' ? event.created_at : at,
    turn_id: event.turn_id,
  };
  if (base.status !== undefined) return message;
  switch (event.type) {
    case 'turn_start':
      return withVersion(base, event);
    case 'turn_end': {
      const { error: _error, tools, steps, data, ...rest } = base;
      const ended: ChatMessage = { ...rest, status: event.status };
      if (event.error !== undefined) ended.error = event.error;
      // A tool still running when its turn ends never finishes: every copy shows it failed, not spinning.
      if (tools) ended.tools = tools.map((t) => (t.status === 'running' ? { ...t, status: 'error' } : t));
      if (steps) ended.steps = endSteps(steps, event.status === 'done' ? 'done' : 'error');
      // Transient data parts are shown while the turn runs only: the compacted reply never holds them.
      const kept = data?.filter((d) => !d.transient);
      if (kept?.length) ended.data = kept;
      // A request raised by a turn that was stopped or failed can no longer be acted on: every copy shows it closed.
      if (ended.requests && event.status !== 'done') {
        const why = event.status;
        ended.requests = ended.requests.map((r) => (r.answer ? r : { ...r, cancelled: why }));
      }
      return ended;
    }
    case 'delta':
      return { ...base, text: base.text + event.text };
    case 'reasoning_delta':
      return { ...base, reasoning: (base.reasoning ?? '') + event.text };
    case 'tool_call': {
      const { call_id, name, arguments: args } = event;
      return {
        ...base,
        tools: [...(base.tools ?? []), { call_id, name, arguments: args, output: '', status: 'running' }],
      };
    }
    case 'tool_args_delta':
      return withTool(base, event.call_id, (t) => ({ ...t, arguments: t.arguments + event.text }));
    case 'tool_output':
      return withTool(base, event.call_id, (t) => ({ ...t, output: t.output + event.text }));
    case 'tool_result':
      return withTool(base, event.call_id, (t) => ({
        ...t,
        status: event.status,
        ...(event.result === undefined ? {} : { result: event.result }),
      }));
    case 'file':
      return { ...base, attachments: [...(base.attachments ?? []), event.attachment] };
    case 'buttons':
      return { ...base, buttons: event.buttons };
    case 'step':
      if (event.status === 'started')
        return { ...base, steps: [...(base.steps ?? []), { name: event.name, status: 'running' }] };
      return { ...base, steps: finishStep(base.steps ?? [], event.name, event.status === 'failed' ? 'error' : 'done') };
    case 'state_snapshot':
      return { ...base, agent_state: event.state };
    case 'source':
      if (base.sources?.some((s) => s.id === event.source.id)) return base;
      return { ...base, sources: [...(base.sources ?? []), event.source] };
    case 'data_part':
      return { ...base, data: withDataPart(base.data ?? [], event.part) };
    case 'request':
      // A request id is the agent's: raising the same one twice keeps the first.
      if (base.requests?.some((r) => r.id === event.request.id)) return base;
      return { ...base, requests: [...(base.requests ?? []), event.request] };
  }
}

/** The newest running step of that name marked ended (one that never started is added, ended). */
function finishStep(steps: readonly Step[], name: string, status: Step['status']): Step[] {
  let i = steps.length - 1;
  while (i >= 0 && !(steps[i]?.name === name && steps[i]?.status === 'running')) i--;
  if (i < 0) return [...steps, { name, status }];
  const out = [...steps];
  out[i] = { name, status };
  return out;
}

function endSteps(steps: readonly Step[], status: Step['status']): Step[] {
  return steps.map((s) => (s.status === 'running' ? { ...s, status } : s));
}

/** A part with an id replaces the earlier one of the same name and id (the AI SDK's reconciliation). */
function withDataPart(parts: readonly DataPart[], part: DataPart): DataPart[] {
  const i = part.id === undefined ? -1 : parts.findIndex((p) => p.name === part.name && p.id === part.id);
  if (i < 0) return [...parts, part];
  const out = [...parts];
  out[i] = part;
  return out;
}

/** `message` with the answer recorded on its request; unchanged when the request is unknown or already answered. */
function answered(message: ChatMessage, event: Extract<FoldableEvent, { type: 'request_answered' }>): ChatMessage {
  const i = message.requests?.findIndex((r) => r.id === event.request_id) ?? -1;
  const request = message.requests?.[i];
  if (!message.requests || !request || request.answer) return message;
  const requests = [...message.requests];
  const { answer, answered_by, answered_at } = event;
  requests[i] = { ...request, answer, answered_by, answered_at };
  return { ...message, requests };
}

/** `message` with one tool call changed; unchanged when the call is unknown. */
function withTool(message: ChatMessage, callId: string, change: (t: ToolCall) => ToolCall): ChatMessage {
  const i = message.tools?.findIndex((t) => t.call_id === callId) ?? -1;
  const tool = message.tools?.[i];
  if (!message.tools || !tool) return message;
  const tools = [...message.tools];
  tools[i] = change(tool);
  return { ...message, tools };
}

/** A reply started by `turn_start` records what it answers and, for a new version, its group. */
function withVersion(message: ChatMessage, event: Extract<FoldableEvent, { type: 'turn_start' }>): ChatMessage {
  if (message.reply_to === event.reply_to && message.version_of === event.version_of) return message;
  const out: ChatMessage = { ...message, reply_to: event.reply_to };
  if (event.version_of !== undefined) out.version_of = event.version_of;
  return out;
}
