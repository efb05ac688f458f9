/** The demo agent's human-in-the-loop scripts: `/approve` asks to run a tool, `/ask` asks a form, answers continue. */

import {
  approvalResultText,
  type AgentEvent,
  type AnswerInput,
  type ApprovalRequest,
  type FormValue,
  type QuestionRequest,
} from '../../../shared/index.ts';

const TOOL = 'clean_cache';
const ARGS = '{"path":"./demo/cache","older_than_days":7}';

/** The approval `/approve [seconds]` raises; with seconds, it expires after that long. */
export function approvalFor(turnId: string, now: number, seconds: number | undefined): ApprovalRequest {
  const request: ApprovalRequest = {
    kind: 'approval',
    id: `approve_${turnId}`,
    tool: TOOL,
    call_id: `call_${turnId}`,
    arguments: ARGS,
    description: 'Deletes cached demo files older than a week.',
  };
  if (seconds !== undefined && seconds > 0) request.expires_at = now + seconds * 1000;
  return request;
}

/** The question `/ask` raises: one field of every kind the form subset has. */
export function questionFor(turnId: string): QuestionRequest {
  return {
    kind: 'question',
    id: `ask_${turnId}`,
    prompt: 'Before I plan your trip, a few questions.',
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string', title: 'Your name', minLength: 1, maxLength: 80 },
        notes: { type: 'string', format: 'multiline', title: 'Anything I should know?' },
        nights: { type: 'integer', title: 'Nights', minimum: 1, maximum: 30, default: 3 },
        pets: { type: 'boolean', title: 'Travelling with pets', default: false },
        pace: { type: 'string', title: 'Pace', enum: ['relaxed', 'balanced', 'packed'], default: 'balanced' },
        interests: {
          type: 'array',
          title: 'Interests',
          items: { type: 'string', enum: ['food', 'museums', 'hiking', 'beaches'] },
          minItems: 1,
        },
      },
      required: ['name', 'nights', 'interests'],
    },
  };
}

function show(value: FormValue): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value) === '' ? '(empty)' : String(value);
}

/** The continuation after someone answered: the tool runs (or not), or the form's values are used. */
export function* answerEvents(
  input: AnswerInput,
  remember: (tool: string) => void,
): Generator<AgentEvent | { say: string }> {
  const { request, answer, answered_by } = input;
  const from = answered_by.device ? ` (from ${answered_by.device})` : '';
  if (request.kind === 'approval') {
    const allowed = answer.kind === 'approval' && answer.decision !== 'deny';
    if (answer.kind === 'approval' && answer.decision === 'allow_always') remember(request.tool);
    // A denial's reason goes back as the tool's result, as a model-driven agent would feed it to its model.
    yield* toolRun(request, allowed ? undefined : approvalResultText(answer));
    if (!allowed) {
      const reason = answer.kind !== 'question' && answer.reason ? ` Your reason: “${answer.reason}”.` : '';
      yield { say: `Understood${from} — I did not run \`${request.tool}\`.${reason}` };
      return;
    }
    const always =
      answer.kind === 'approval' && answer.decision === 'allow_always'
        ? ` I will not ask again for \`${request.tool}\` in this chat.`
        : '';
    yield { say: `Approved${from}: \`${request.tool}\` removed 12 files (3.4 MB).${always}` };
    return;
  }
  if (answer.kind !== 'question') {
    yield { say: `No problem${from} — I will plan without those details.` };
    return;
  }
  // In the form's order, not the order the fields were filled in.
  const lines = Object.entries(request.schema.properties)
    .filter(([key]) => Object.hasOwn(answer.values, key))
    .map(([key, field]) => `- **${field.title ?? key}**: ${show(answer.values[key] ?? '')}`);
  yield { say: `Thanks${from}! Here is what I got:\n\n${lines.join('\n')}` };
}

/** The tool call an approval was about, as it ran, or refused with `denied` as its result. */
export function* toolRun(request: ApprovalRequest, denied?: string): Generator<AgentEvent> {
  const { call_id, tool: name, arguments: args } = request;
  yield { type: 'tool_call', call_id, name, arguments: args };
  if (denied !== undefined) {
    yield { type: 'tool_result', call_id, status: 'error', result: denied };
    return;
  }
  yield { type: 'tool_output', call_id, text: 'removed 12 files\n' };
  yield { type: 'tool_result', call_id, status: 'done', result: '12 files, 3.4 MB' };
}
