/** The chat as AI SDK UIMessages, the way `useChat` holds it: text parts, attachments as file parts (data URLs). */

import type { FileUIPart, UIMessage } from 'ai';
import type { Attachment, TurnRequest } from '../../../shared/index.ts';

function filePart(a: Attachment): FileUIPart {
  return { type: 'file', mediaType: a.mime, filename: a.name, url: `data:${a.mime};base64,${a.data}` };
}

/** Earlier messages get stable ids by position (the context carries none); the user's message keeps its own. */
export function toUIMessages(turn: TurnRequest): UIMessage[] {
  const history: UIMessage[] = turn.context.map((m, i) => ({
    id: `${turn.chat_id}-${i}`,
    role: m.role,
    parts: [{ type: 'text', text: m.text }],
  }));
  if (turn.input.kind === 'answer') return history;
  if (turn.input.kind === 'action') {
    const text = `(The user pressed the button "${turn.input.label}".)`;
    return [...history, { id: `${turn.turn_id}-action`, role: 'user', parts: [{ type: 'text', text }] }];
  }
  const { id, text, attachments = [] } = turn.input.message;
  const parts: UIMessage['parts'] = text ? [{ type: 'text', text }] : [];
  return [...history, { id, role: 'user', parts: [...parts, ...attachments.map(filePart)] }];
}

/** A tool call's arguments as the SDK holds a tool part's input: the parsed JSON, or the text when it is not JSON. */
function inputOf(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

/** A tool call and the user's decision on it, as `addToolApprovalResponse` leaves the part in `useChat`. */
export interface ApprovalResponse {
  approvalId: string;
  toolCallId: string;
  toolName: string;
  arguments: string;
  approved: boolean;
  reason?: string;
}

/** The assistant message that resumes the endpoint's run: its tool parts answered, as `useChat` sends it back. */
export function approvalMessage(id: string, responses: readonly ApprovalResponse[]): UIMessage {
  return {
    id,
    role: 'assistant',
    parts: responses.map((r) => ({
      type: `tool-${r.toolName}` as const,
      toolCallId: r.toolCallId,
      state: 'approval-responded' as const,
      input: inputOf(r.arguments),
      approval: { id: r.approvalId, approved: r.approved, ...(r.reason ? { reason: r.reason } : {}) },
    })),
  };
}
