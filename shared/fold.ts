/** The one fold of chat events into messages: the relay's compaction, its orphan repair, the client and the tests call it. */

import type { ChatMessage, ToolCall } from './model.ts';
import type { ChatEvent } from './relay-frames.ts';

type Unstamped<T> = T extends unknown ? Omit<T, 'seq' | 'epoch' | 'chat_id'> : never;

/** A chat event without its relay stamps: the relay folds events it has not published yet (a turn's end). */
export type FoldableEvent = Unstamped<ChatEvent>;

/** The id of the message an event changes. */
export function foldTarget(event: FoldableEvent): string {
  if (event.type === 'workspace') return '';
  return event.type === 'message' ? event.message.id : event.message_id;
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
    case 'typing':
      return message;
    // A workspace event (its own channel) changes no message.
    case 'workspace':
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
      return base;
    case 'turn_end': {
      const { error: _error, tools, ...rest } = base;
      const ended: ChatMessage = { ...rest, status: event.status };
      if (event.error !== undefined) ended.error = event.error;
      // A tool still running when its turn ends never finishes: every copy shows it failed, not spinning.
      if (tools) ended.tools = tools.map((t) => (t.status === 'running' ? { ...t, status: 'error' } : t));
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
  }
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
