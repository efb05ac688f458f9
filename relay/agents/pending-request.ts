/**
 * What a framework agent asks the user before it can go on (an AG-UI interrupt, an AI SDK tool approval request),
 * as one typed value, and `askUser`, the single place where the bridges turn it into Parley's own requests: the
 * turn ends with them pending, and the answer starts the turn that resumes the framework's run (see `resumeOf`).
 */

import { askApproval, askQuestion, type FormSchema, type RequestEvent } from '../../shared/index.ts';
import { formSchemaParser } from '../../shared/parse/human-request.ts';

/** One request from the agent, with what is needed to answer it and to resume the agent's run. */
export interface PendingRequest {
  /** `tool_approval`: may this tool call run? `question`: the agent wants an answer (free form or by schema). */
  kind: 'tool_approval' | 'question';
  /** The framework that asked, which decides how an answer is sent back. */
  source: 'ag-ui' | 'ai-sdk';
  chat_id: string;
  turn_id: string;
  /**
   * What the framework needs to resume: the AG-UI interrupt `id` (answered with a `resume` entry of the next
   * RunAgentInput), or the AI SDK `approvalId` (answered with an approval response on the tool part). It is the
   * Parley request's id too, so the answer names it.
   */
  resume_id: string;
  /** The tool call the request is about (as the agent named it), when there is one. */
  tool_call_id?: string;
  tool_name?: string;
  /** The tool call's arguments as the agent streamed them (usually JSON text). */
  arguments?: string;
  /** The agent's own words for the user: the AG-UI interrupt's `message`. */
  message?: string;
  /** AG-UI `reason`: a short machine-readable kind, such as `tool_approval` or `input_required`. */
  reason?: string;
  /** AG-UI `responseSchema`: the JSON Schema an answer must follow, as JSON text. */
  response_schema?: string;
  /** AG-UI `expiresAt` (ISO 8601), after which the agent no longer accepts an answer. */
  expires_at?: string;
}

/** The form for a question whose schema is not one Parley's forms can show (or that came without one). */
const FREE_ANSWER: FormSchema = {
  type: 'object',
  properties: { answer: { type: 'string', format: 'multiline', title: 'Your answer', minLength: 1 } },
  required: ['answer'],
};

/**
 * The form a question is answered with: the agent's JSON Schema when it is an object of the fields Parley's forms
 * have (text, number, boolean, one-of, several-of), checked by the same parser as any agent's request; otherwise
 * one free-text field, whose answer goes back as `{ "answer": "…" }`.
 */
export function formFor(responseSchema: string | undefined): FormSchema {
  if (responseSchema === undefined) return FREE_ANSWER;
  let value: unknown;
  try {
    value = JSON.parse(responseSchema);
  } catch {
    return FREE_ANSWER;
  }
  const parsed = formSchemaParser(value, 'responseSchema');
  return parsed.ok && Object.keys(parsed.value.properties).length > 0 ? parsed.value : FREE_ANSWER;
}

function expiry(iso: string | undefined): { expires_at?: number } {
  const at = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(at) ? { expires_at: at } : {};
}

/**
 * THE HOOK every bridge calls, once per run, with everything the agent asked: the `request` events to yield before
 * the turn ends. Each request's id is the framework's own (`resume_id`), so the answer turn can resume the run.
 */
export function askUser(requests: readonly PendingRequest[]): RequestEvent[] {
  return requests.map((r) =>
    r.kind === 'tool_approval'
      ? askApproval({
          id: r.resume_id,
          tool: r.tool_name ?? 'tool',
          call_id: r.tool_call_id ?? r.resume_id,
          arguments: r.arguments ?? '{}',
          ...(r.message ? { description: r.message } : {}),
          ...expiry(r.expires_at),
        })
      : askQuestion({
          id: r.resume_id,
          prompt: r.message ?? 'The agent needs an answer to go on.',
          schema: formFor(r.response_schema),
          ...expiry(r.expires_at),
        }),
  );
}
