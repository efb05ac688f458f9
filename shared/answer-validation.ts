/** The one check of an answer against the request it answers: the form shows its problems, the relay refuses them. */

import type { FormField, FormSchema, FormValue, FormValues, HumanAnswer, HumanRequest } from './human-request.ts';

/** Characters of one text answer when its field sets no `maxLength`, and of a deny or decline reason. */
export const MAX_ANSWER_CHARS = 10_000;
export const MAX_REASON_CHARS = 2000;

/** Problems with a form's values, by field key ('' for the form as a whole). Empty: the values are fine. */
export type FieldProblems = Record<string, string>;

/** Whether the field is a checkbox list (several of). */
export function isMultiChoice(field: FormField): field is Extract<FormField, { type: 'array' }> {
  return field.type === 'array';
}

/** The choices of a one-of or several-of field, else undefined. */
export function choicesOf(field: FormField): string[] | undefined {
  if (field.type === 'array') return field.items.enum;
  return field.type === 'string' && 'enum' in field ? field.enum : undefined;
}

/** What is wrong with one field's value (undefined when it is absent or fine). */
function fieldProblem(field: FormField, value: FormValue | undefined, required: boolean): string | undefined {
  const empty =
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && !value.length);
  if (empty) return required ? 'is required' : undefined;
  const choices = choicesOf(field);
  switch (field.type) {
    case 'string': {
      if (typeof value !== 'string') return 'must be text';
      if (choices) return choices.includes(value) ? undefined : `must be one of: ${choices.join(', ')}`;
      const max = 'maxLength' in field && field.maxLength !== undefined ? field.maxLength : MAX_ANSWER_CHARS;
      const min = 'minLength' in field ? (field.minLength ?? 0) : 0;
      if (value.length > max) return `must be at most ${max} characters`;
      if (value.length < min) return `must be at least ${min} characters`;
      return undefined;
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (field.type === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
      if (field.minimum !== undefined && value < field.minimum) return `must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum) return `must be at most ${field.maximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be yes or no';
    case 'array': {
      if (!Array.isArray(value)) return 'must be a list of choices';
      const allowed = field.items.enum;
      if (value.some((v) => !allowed.includes(v))) return `may only hold: ${allowed.join(', ')}`;
      if (new Set(value).size !== value.length) return 'lists a choice twice';
      if (field.minItems !== undefined && value.length < field.minItems) return `needs at least ${field.minItems}`;
      if (field.maxItems !== undefined && value.length > field.maxItems) return `allows at most ${field.maxItems}`;
      return undefined;
    }
  }
}

/** Checks a form's values against its schema: every field's problem, and any value for a field it does not have. */
export function formProblems(schema: FormSchema, values: FormValues): FieldProblems {
  const problems: FieldProblems = {};
  const required = new Set(schema.required ?? []);
  for (const [key, field] of Object.entries(schema.properties)) {
    const problem = fieldProblem(field, Object.hasOwn(values, key) ? values[key] : undefined, required.has(key));
    if (problem) problems[key] = problem;
  }
  const unknown = Object.keys(values).filter((k) => !Object.hasOwn(schema.properties, k));
  if (unknown.length) problems[''] = `has no field ${unknown.map((k) => JSON.stringify(k)).join(', ')}`;
  return problems;
}

/** Why `answer` cannot answer `request` (as one sentence), or undefined when it can. */
export function answerProblem(request: HumanRequest, answer: HumanAnswer): string | undefined {
  if ('reason' in answer && answer.reason !== undefined && answer.reason.length > MAX_REASON_CHARS) {
    return `the reason is longer than ${MAX_REASON_CHARS} characters`;
  }
  if (request.kind === 'approval') {
    return answer.kind === 'approval' ? undefined : 'a tool-call approval is answered with allow or deny';
  }
  if (answer.kind === 'decline') return undefined;
  if (answer.kind !== 'question') return 'a question is answered with its form (or declined)';
  const problems = formProblems(request.schema, answer.values);
  const first = Object.entries(problems)[0];
  if (!first) return undefined;
  const [key, problem] = first;
  const label = key === '' ? 'the form' : (request.schema.properties[key]?.title ?? key);
  return `${label} ${problem}`;
}
