/** Folds a turn's output events into the assistant message they build; relay and client share it. */

import type { AgentEvent } from './agent-events.ts';
import type { ChatMessage, TurnStatus } from './model.ts';

/** A fresh assistant message for a turn that is starting. */
export function startAssistantMessage(id: string, turnId: string, createdAt: number): ChatMessage {
  return { id, role: 'assistant', text: '', created_at: createdAt, turn_id: turnId };
}

/**
 * Applies one event to the turn's own message, in place. `message_edit` targets another
 * message and `typing` is transient, so neither changes it.
 */
export function foldTurnEvent(message: ChatMessage, event: AgentEvent): void {
  switch (event.type) {
    case 'delta':
      message.text += event.text;
      return;
    case 'reasoning_delta':
      message.reasoning = (message.reasoning ?? '') + event.text;
      return;
    case 'tool_call':
      (message.tools ??= []).push({
        call_id: event.call_id,
        name: event.name,
        arguments: event.arguments,
        output: '',
        status: 'running',
      });
      return;
    case 'tool_output': {
      const tool = message.tools?.find((t) => t.call_id === event.call_id);
      if (tool) tool.output += event.text;
      return;
    }
    case 'tool_result': {
      const tool = message.tools?.find((t) => t.call_id === event.call_id);
      if (!tool) return;
      tool.status = event.status;
      if (event.result !== undefined) tool.result = event.result;
      return;
    }
    case 'file':
      (message.attachments ??= []).push(event.attachment);
      return;
    case 'buttons':
      message.buttons = event.buttons;
      return;
    case 'typing':
    case 'message_edit':
      return;
  }
}

/**
 * Ends the turn's own message at its `turn_end`. A tool still running then will never finish, so it shows as
 * failed — what the client does live, and what a replay of the compacted message must show too.
 */
export function endTurnMessage(message: ChatMessage, status: TurnStatus, error?: string): void {
  message.status = status;
  if (error !== undefined) message.error = error;
  for (const tool of message.tools ?? []) if (tool.status === 'running') tool.status = 'error';
}

/** Applies an agent's edit to a message it targets. */
export function applyEdit(message: ChatMessage, text: string, at: number): void {
  message.text = text;
  message.edited_at = at;
}

/** Marks a button as pressed; returns false if it was already marked. */
export function markActionUsed(message: ChatMessage, actionId: string): boolean {
  const used = (message.used_actions ??= []);
  if (used.includes(actionId)) return false;
  used.push(actionId);
  return true;
}

/** A deep copy of a message, so folding into it never changes the frame it came from. */
export function cloneMessage(m: ChatMessage): ChatMessage {
  const copy: ChatMessage = { ...m };
  if (m.tools) copy.tools = m.tools.map((t) => ({ ...t }));
  if (m.attachments) copy.attachments = m.attachments.map((a) => ({ ...a }));
  if (m.buttons) copy.buttons = m.buttons.map((row) => row.map((b) => ({ ...b })));
  if (m.used_actions) copy.used_actions = [...m.used_actions];
  return copy;
}
