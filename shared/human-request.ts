/** Human in the loop: what an agent asks a person (a tool-call approval, a question as a form) and the answer. */

/** A tool call the agent wants to run and will not run until someone allows it. */
export interface ApprovalRequest {
  kind: 'approval';
  /** Unique within the chat; the answer names it. */
  id: string;
  /** The tool's name, as the agent calls it ("always" remembers this name for the chat). */
  tool: string;
  /** The agent's id for the call, so the answer goes back as that call's result. */
  call_id: string;
  /** The arguments as the agent gave them (usually JSON text). */
  arguments: string;
  /** One line on what the call will do, for the person deciding. */
  description?: string;
  /** Milliseconds since the epoch after which the relay refuses answers. */
  expires_at?: number;
}

/** A question the agent asks, answered by filling in a small form. */
export interface QuestionRequest {
  kind: 'question';
  id: string;
  /** The question itself, shown above the form (plain text). */
  prompt: string;
  schema: FormSchema;
  expires_at?: number;
}

export type HumanRequest = ApprovalRequest | QuestionRequest;

/** The JSON-schema subset a question's form is written in: an object of simple fields. */
export interface FormSchema {
  type: 'object';
  /** Fields in display order (JSON keeps object key order). */
  properties: Record<string, FormField>;
  required?: string[];
}

interface FieldBase {
  /** The field's label; its key when absent. */
  title?: string;
  description?: string;
}

/** A line of text, or several (`format: "multiline"`). */
export interface TextField extends FieldBase {
  type: 'string';
  format?: 'multiline';
  minLength?: number;
  maxLength?: number;
  default?: string;
}

/** One of a few strings (a select or radio group). */
export interface ChoiceField extends FieldBase {
  type: 'string';
  enum: string[];
  default?: string;
}

export interface NumberField extends FieldBase {
  /** `integer` accepts whole numbers only. */
  type: 'number' | 'integer';
  minimum?: number;
  maximum?: number;
  default?: number;
}

export interface BooleanField extends FieldBase {
  type: 'boolean';
  default?: boolean;
}

/** Several of a few strings (checkboxes). */
export interface MultiChoiceField extends FieldBase {
  type: 'array';
  items: { type: 'string'; enum: string[] };
  minItems?: number;
  maxItems?: number;
  default?: string[];
}

export type FormField = TextField | ChoiceField | NumberField | BooleanField | MultiChoiceField;

export type FormValue = string | number | boolean | string[];
export type FormValues = Record<string, FormValue>;

export type ApprovalDecision = 'allow_once' | 'allow_always' | 'deny';
export const APPROVAL_DECISIONS = ['allow_once', 'allow_always', 'deny'] as const satisfies readonly ApprovalDecision[];

/** What a person answered: a decision on a tool call, a filled-in form, or no answer to a question. */
export type HumanAnswer =
  | { kind: 'approval'; decision: ApprovalDecision; reason?: string }
  | { kind: 'question'; values: FormValues }
  | { kind: 'decline'; reason?: string };

/** Who answered, as every tab and device is told. */
export interface AnsweredBy {
  /** The relay's id for the answering connection's client. */
  client_id: string;
  /** A label the answering device gave itself ("Firefox on Android"), when it gave one. */
  device?: string;
}

/** A request as a message holds it: what was asked and, once it is settled, how. */
export type RequestState = HumanRequest & {
  answer?: HumanAnswer;
  answered_by?: AnsweredBy;
  answered_at?: number;
  /** Set when the turn that asked it was stopped or failed: nobody can answer it any more. */
  cancelled?: 'stopped' | 'error';
};

/** Where a request stands for someone looking at it at `now`. */
export function requestStatus(r: RequestState, now: number): 'pending' | 'answered' | 'expired' | 'cancelled' {
  if (r.answer) return 'answered';
  if (r.cancelled) return 'cancelled';
  if (r.expires_at !== undefined && now >= r.expires_at) return 'expired';
  return 'pending';
}

/**
 * The text a tool's result should carry for an approval answer, for agents that feed it back to a model: the
 * deny reason goes back as the tool's result, so the model knows why it may not run the tool.
 */
export function approvalResultText(answer: HumanAnswer): string {
  if (answer.kind !== 'approval') return 'The user did not answer.';
  if (answer.decision !== 'deny') return 'approved';
  return answer.reason ? `The user denied this tool call: ${answer.reason}` : 'The user denied this tool call.';
}

/** An answer as one line of text, for agents that hand their turn input to a model as a user message. */
export function answerText(input: { request: HumanRequest; answer: HumanAnswer }): string {
  const { request, answer } = input;
  if (request.kind === 'approval') {
    if (answer.kind === 'approval' && answer.decision !== 'deny') {
      const scope = answer.decision === 'allow_always' ? 'always, in this chat' : 'once';
      return `(The user allowed the tool call ${request.tool} (${request.call_id}) ${scope}.)`;
    }
    return `(${approvalResultText(answer.kind === 'approval' ? answer : { kind: 'approval', decision: 'deny', ...('reason' in answer && answer.reason ? { reason: answer.reason } : {}) })})`;
  }
  if (answer.kind === 'question') return `(The user answered "${request.prompt}": ${JSON.stringify(answer.values)})`;
  const reason = answer.kind === 'decline' && answer.reason ? `: ${answer.reason}` : '';
  return `(The user declined to answer "${request.prompt}"${reason}.)`;
}
