/** Runtime parsers for human-in-the-loop data: an agent's request (with its form schema), an answer, its state. */

import { MAX_ANSWER_CHARS, MAX_REASON_CHARS } from '../answer-validation.ts';
import type { Result } from '../errors.ts';
import {
  APPROVAL_DECISIONS,
  type AnsweredBy,
  type FormField,
  type FormSchema,
  type FormValue,
  type FormValues,
  type HumanAnswer,
  type HumanRequest,
  type RequestState,
} from '../human-request.ts';
import { ID_PATTERN, LIMITS, MESSAGE_LIMITS } from '../limits.ts';
import { compact, isObject, objectParser, stringParser, type ItemParser, type Reader } from '../reader.ts';

const ID = { max: 128, pattern: ID_PATTERN };
const SHORT = { max: LIMITS.maxLabelChars };
const TEXT = { max: 4000 };
/** Fields in one form, and choices in one field: a form a person fills in, not a database. */
export const MAX_FORM_FIELDS = 20;
export const MAX_CHOICES = 50;
const KEY = { max: 64, pattern: /^[A-Za-z0-9_.-]{1,64}$/ };

const bad = <T>(path: string, what: string): Result<T> => ({
  ok: false,
  error: { code: 'invalid_field', message: `${path} ${what}` },
});

const choices = (r: Reader, key: string) => r.arr(key, stringParser(SHORT), MAX_CHOICES);

const fieldParser: ItemParser<FormField> = objectParser((r): FormField => {
  const base = compact({ title: r.optStr('title', SHORT), description: r.optStr('description', TEXT) });
  const type = r.oneOf('type', ['string', 'number', 'integer', 'boolean', 'array'] as const);
  switch (type) {
    case 'string':
      if (r.has('enum')) {
        const list = choices(r, 'enum');
        if (!r.error && !list.length) r.fail('enum', 'must list at least one choice');
        return compact({ ...base, type, enum: list, default: r.optStr('default', SHORT) });
      }
      return compact({
        ...base,
        type,
        format: r.optOneOf('format', ['multiline'] as const),
        minLength: r.optInt('minLength', { max: MAX_ANSWER_CHARS }),
        maxLength: r.optInt('maxLength', { max: MAX_ANSWER_CHARS }),
        default: r.optStr('default', { max: MAX_ANSWER_CHARS }),
      });
    case 'number':
    case 'integer':
      return compact({
        ...base,
        type,
        minimum: optNumber(r, 'minimum'),
        maximum: optNumber(r, 'maximum'),
        default: optNumber(r, 'default'),
      });
    case 'boolean':
      return compact({ ...base, type, default: r.optBool('default') });
    case 'array': {
      const items = r.nested('items', itemsParser, { type: 'string' as const, enum: [] });
      return compact({
        ...base,
        type,
        items,
        minItems: r.optInt('minItems', { max: MAX_CHOICES }),
        maxItems: r.optInt('maxItems', { max: MAX_CHOICES }),
        default: r.optArr('default', stringParser(SHORT), MAX_CHOICES),
      });
    }
  }
});

const itemsParser: ItemParser<{ type: 'string'; enum: string[] }> = objectParser((r) => {
  const type = r.oneOf('type', ['string'] as const);
  const list = choices(r, 'enum');
  if (!r.error && !list.length) r.fail('enum', 'must list at least one choice');
  return { type, enum: list };
});

function optNumber(r: Reader, key: string): number | undefined {
  const v = r.raw(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) r.fail(key, 'must be a number');
  return typeof v === 'number' ? v : undefined;
}

const propertiesParser: ItemParser<Record<string, FormField>> = (value, path) => {
  if (!isObject(value)) return bad(path, 'must be an object of fields');
  const keys = Object.keys(value);
  if (!keys.length || keys.length > MAX_FORM_FIELDS) return bad(path, `must have 1 to ${MAX_FORM_FIELDS} fields`);
  const out: Record<string, FormField> = {};
  for (const key of keys) {
    if (!KEY.pattern.test(key))
      return bad(path, `has a field name ${JSON.stringify(key.slice(0, 64))} not matching ${String(KEY.pattern)}`);
    const field = fieldParser(value[key], `${path}.${key}`);
    if (!field.ok) return field;
    out[key] = field.value;
  }
  return { ok: true, value: out };
};

export const formSchemaParser: ItemParser<FormSchema> = objectParser((r) => {
  const schema = compact({
    type: r.oneOf('type', ['object'] as const),
    properties: r.nested('properties', propertiesParser, {}),
    required: r.optArr('required', stringParser(KEY), MAX_FORM_FIELDS),
  });
  const unknown = (schema.required ?? []).find((k) => !Object.hasOwn(schema.properties, k));
  if (!r.error && unknown !== undefined) r.fail('required', `names ${JSON.stringify(unknown)}, which is not a field`);
  return schema;
});

/** An agent's request, as the `request` event carries it. */
export const humanRequestParser: ItemParser<HumanRequest> = objectParser((r): HumanRequest => {
  const kind = r.oneOf('kind', ['approval', 'question'] as const);
  const id = r.str('id', ID);
  const expires_at = r.optInt('expires_at');
  if (kind === 'approval') {
    return compact({
      kind,
      id,
      tool: r.str('tool', { ...SHORT, min: 1 }),
      call_id: r.str('call_id', ID),
      arguments: r.str('arguments', { max: MESSAGE_LIMITS.maxToolChars }),
      description: r.optStr('description', TEXT),
      expires_at,
    });
  }
  return compact({
    kind,
    id,
    prompt: r.str('prompt', { ...TEXT, min: 1 }),
    schema: r.nested('schema', formSchemaParser, { type: 'object' as const, properties: {} }),
    expires_at,
  });
});

const valueParser = (value: unknown, path: string): Result<FormValue> => {
  if (typeof value === 'string')
    return value.length <= MAX_ANSWER_CHARS ? { ok: true, value } : bad(path, 'is too long');
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return { ok: true, value };
  if (Array.isArray(value) && value.length <= MAX_CHOICES) {
    const list: string[] = [];
    for (const item of value) {
      if (typeof item !== 'string' || item.length > LIMITS.maxLabelChars) return bad(path, 'must hold short strings');
      list.push(item);
    }
    return { ok: true, value: list };
  }
  return bad(path, 'must be text, a number, true/false or a list of choices');
};

const valuesParser: ItemParser<FormValues> = (value, path) => {
  if (!isObject(value)) return bad(path, 'must be an object');
  const keys = Object.keys(value);
  if (keys.length > MAX_FORM_FIELDS) return bad(path, `has more than ${MAX_FORM_FIELDS} fields`);
  const out: FormValues = {};
  for (const key of keys) {
    if (!KEY.pattern.test(key)) return bad(path, `has a field name not matching ${String(KEY.pattern)}`);
    const v = valueParser(value[key], `${path}.${key}`);
    if (!v.ok) return v;
    out[key] = v.value;
  }
  return { ok: true, value: out };
};

const REASON = { max: MAX_REASON_CHARS };

export const humanAnswerParser: ItemParser<HumanAnswer> = objectParser((r): HumanAnswer => {
  const kind = r.oneOf('kind', ['approval', 'question', 'decline'] as const);
  if (kind === 'approval') {
    return compact({ kind, decision: r.oneOf('decision', APPROVAL_DECISIONS), reason: r.optStr('reason', REASON) });
  }
  if (kind === 'decline') return compact({ kind, reason: r.optStr('reason', REASON) });
  return { kind, values: r.nested('values', valuesParser, {}) };
});

export const DEVICE = { max: 80 };

export const answeredByParser: ItemParser<AnsweredBy> = objectParser((r) =>
  compact({ client_id: r.str('client_id', { max: 128 }), device: r.optStr('device', DEVICE) }),
);

/** A request as a stored or replayed message holds it. */
export const requestStateParser: ItemParser<RequestState> = (value, path) => {
  const request = humanRequestParser(value, path);
  if (!request.ok || !isObject(value)) return request;
  const r = objectParser((reader) =>
    compact({
      answer: reader.has('answer')
        ? reader.nested('answer', humanAnswerParser, { kind: 'decline' as const })
        : undefined,
      answered_by: reader.has('answered_by')
        ? reader.nested('answered_by', answeredByParser, { client_id: '' })
        : undefined,
      answered_at: reader.optInt('answered_at'),
      cancelled: reader.optOneOf('cancelled', ['stopped', 'error'] as const),
    }),
  )(value, path);
  return r.ok ? { ok: true, value: { ...request.value, ...r.value } } : r;
};
