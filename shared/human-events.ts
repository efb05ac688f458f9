/**
 * The agent side of human in the loop, for every bridge, SDK and library agent: `askApproval` / `askQuestion` build
 * the one `request` event to yield (then end the turn); `answerOf` reads the answer from the turn it starts.
 */

import type { RequestEvent } from './agent-events.ts';
import type { AnswerInput, TurnRequest } from './agent-frames.ts';
import type { ApprovalRequest, FormSchema, QuestionRequest } from './human-request.ts';

export interface ApprovalOptions {
  tool: string;
  call_id: string;
  /** The call's arguments: JSON text, or a value to serialize. */
  arguments: string | object;
  description?: string;
  /** Default `approve_<call_id>`: one approval per tool call. */
  id?: string;
  /** Milliseconds since the epoch; or give `expires_in_ms`. */
  expires_at?: number;
  expires_in_ms?: number;
}

export interface QuestionOptions {
  /** Unique within the chat. */
  id: string;
  prompt: string;
  schema: FormSchema;
  expires_at?: number;
  expires_in_ms?: number;
}

function expiry(o: { expires_at?: number; expires_in_ms?: number }, now: number): { expires_at?: number } {
  if (o.expires_at !== undefined) return { expires_at: o.expires_at };
  return o.expires_in_ms !== undefined ? { expires_at: now + o.expires_in_ms } : {};
}

/** The event asking a person to allow a tool call: yield it, then end the turn (return) without running the tool. */
export function askApproval(o: ApprovalOptions, now = Date.now()): RequestEvent {
  const request: ApprovalRequest = {
    kind: 'approval',
    id: o.id ?? `approve_${o.call_id}`,
    tool: o.tool,
    call_id: o.call_id,
    arguments: typeof o.arguments === 'string' ? o.arguments : JSON.stringify(o.arguments),
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...expiry(o, now),
  };
  return { type: 'request', request };
}

/** The event asking a person to fill in a form: yield it, then end the turn. */
export function askQuestion(o: QuestionOptions, now = Date.now()): RequestEvent {
  const request: QuestionRequest = {
    kind: 'question',
    id: o.id,
    prompt: o.prompt,
    schema: o.schema,
    ...expiry(o, now),
  };
  return { type: 'request', request };
}

/** The answer a turn carries, when an answer started it (`turn.input.kind === 'answer'`). */
export function answerOf(turn: TurnRequest): AnswerInput | undefined {
  return turn.input.kind === 'answer' ? turn.input : undefined;
}

/** Remembers "allow always" per chat and tool, for an agent that should not ask twice (for its process's life). */
export class AllowedTools {
  private readonly byChat = new Map<string, Set<string>>();

  /** Notes an answer; true when it allows the call (once or always). */
  note(chatId: string, input: AnswerInput): boolean {
    const { request, answer } = input;
    if (request.kind !== 'approval' || answer.kind !== 'approval') return false;
    if (answer.decision === 'allow_always')
      this.byChat.set(chatId, (this.byChat.get(chatId) ?? new Set()).add(request.tool));
    return answer.decision !== 'deny';
  }

  has(chatId: string, tool: string): boolean {
    return this.byChat.get(chatId)?.has(tool) ?? false;
  }
}
