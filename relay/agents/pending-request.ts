/**
 * What a framework agent asks the user before it can go on (an AG-UI interrupt, an AI SDK tool approval
 * request), as one typed value, and `askUser`, the single place where the bridges hand it over.
 */

import { TurnError } from '../core/agent.ts';

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
   * RunAgentInput), or the AI SDK `approvalId` (answered with an approval response on the tool part).
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

const MAX_SHOWN_ARGS = 300;

/**
 * THE HOOK for human-in-the-loop answers: every bridge calls this, once per run, with everything the agent
 * asked. Until the approvals/questions protocol is wired here, it ends the turn with a readable error naming
 * what the agent asked (what the bridges streamed before stays in the reply). Wired, it would publish the
 * requests, wait for the first answer, and return the answers for the bridge to resume the run with.
 */
export function askUser(requests: readonly PendingRequest[]): never {
  const asked = requests.map(describe).join(' ');
  throw new TurnError(`${asked} Parley cannot answer agent requests yet, so the run stopped here.`);
}

function describe(request: PendingRequest): string {
  if (request.kind === 'tool_approval') {
    const args = request.arguments ?? '';
    const shown = args.length > MAX_SHOWN_ARGS ? `${args.slice(0, MAX_SHOWN_ARGS)}…` : args;
    const call = request.tool_name ? `${request.tool_name}(${shown})` : 'a tool';
    const why = request.message ? ` ("${request.message}")` : '';
    return `The agent asked for approval to run ${call}${why}.`;
  }
  return request.message
    ? `The agent asked: "${request.message}".`
    : `The agent asked a question (${request.reason ?? 'no reason given'}).`;
}
