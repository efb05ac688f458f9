/** Builds the RunAgentInput an AG-UI agent receives for a Parley turn: the chat as messages, its state, no tools. */

import { PROTOCOL_VERSION, type ContentPart, type Message, type ResumeEntry, type RunAgentInput } from '@ag-ui/core';
import { IMAGE_MIME_TYPES, type Attachment, type ContextMessage, type TurnRequest } from '../../../shared/index.ts';
import type { ThreadMemory } from './thread-memory.ts';
import { forwardedSettings } from '../sampling-params.ts';

/**
 * The user's side of the turn: text, with attachments as content parts (images as images, others as documents).
 * An answer adds no message: it goes back as the run's `resume`.
 */
function inputMessages(turn: TurnRequest): Message[] {
  if (turn.input.kind === 'answer') return [];
  if (turn.input.kind === 'action') {
    return [
      {
        id: `${turn.turn_id}-action`,
        role: 'user',
        content: `(The user pressed the button "${turn.input.label}".)`,
      },
    ];
  }
  const { id, text, attachments = [] } = turn.input.message;
  if (attachments.length === 0) return [{ id, role: 'user', content: text }];
  const parts: ContentPart[] = text ? [{ type: 'text', text }] : [];
  return [{ id, role: 'user', content: [...parts, ...attachments.map(attachmentPart)] }];
}

function attachmentPart(a: Attachment): ContentPart {
  const source = { type: 'data' as const, value: a.data, mimeType: a.mime };
  return IMAGE_MIME_TYPES.includes(a.mime)
    ? { type: 'image', source, metadata: { filename: a.name } }
    : { type: 'document', source, metadata: { filename: a.name } };
}

/** The chat's earlier messages as AG-UI messages; context entries carry no ids, so they get stable ones by position. */
function contextMessages(turn: TurnRequest): Message[] {
  return turn.context.map((m, i) => {
    const id = `${turn.chat_id}-${i}`;
    if (m.role === 'assistant') return { id, role: 'assistant', content: m.text };
    return { id, role: m.role, content: m.text };
  });
}

/** What was said, in order, by user and assistant: how a snapshot is matched against the chat. */
function spoken(messages: readonly (Message | ContextMessage)[]): string[] {
  const out: string[] = [];
  for (const m of messages) {
    if (m.role !== 'user' && m.role !== 'assistant') continue;
    const text = 'text' in m ? m.text : typeof m.content === 'string' ? m.content : '';
    if (text) out.push(text);
  }
  return out;
}

/**
 * The agent's own MESSAGES_SNAPSHOT of the thread (with its tool calls and results) when it still tells the
 * chat's story; the chat's context when the user changed that story since (an edit, a regenerated reply, a
 * relay restart).
 */
function history(turn: TurnRequest, memory: ThreadMemory): Message[] {
  const snapshot = memory.messages;
  // A run resumed after an answer continues the agent's own story of the thread, whatever the turn's context.
  if (snapshot && turn.input.kind === 'answer') return snapshot;
  if (snapshot && spoken(snapshot).join('\u0000') === spoken(turn.context).join('\u0000')) return snapshot;
  return contextMessages(turn);
}

/**
 * `threadId` is the chat, `runId` the turn. `forwardedProps` carries what the turn names for the agent (the
 * chat's settings: model, system prompt and parameters as top-level fields, see sampling-params.ts).
 */
export function buildRunInput(
  turn: TurnRequest,
  memory: ThreadMemory,
  resume: ResumeEntry[] = [],
  runId = turn.turn_id,
): RunAgentInput {
  return {
    threadId: turn.chat_id,
    runId,
    protocolVersion: PROTOCOL_VERSION,
    state: memory.state ?? {},
    messages: [...history(turn, memory), ...inputMessages(turn)],
    tools: [],
    context: [],
    forwardedProps: forwardedSettings(turn),
    ...(resume.length > 0 ? { resume } : {}),
  };
}
