/** The one answer check (client form and relay alike), and the parsers of requests and answers, on good and bad input. */

import { describe, expect, it } from 'vitest';
import { answerProblem, formProblems } from './answer-validation.ts';
import type { FormSchema, QuestionRequest } from './human-request.ts';
import { parseAgentFrame, parseClientFrame } from './index.ts';
import { humanRequestParser } from './parse/human-request.ts';

const schema: FormSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 5 },
    notes: { type: 'string', format: 'multiline' },
    n: { type: 'integer', minimum: 1, maximum: 3 },
    ratio: { type: 'number', maximum: 1 },
    ok: { type: 'boolean' },
    pace: { type: 'string', enum: ['slow', 'fast'] },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, maxItems: 2 },
  },
  required: ['name', 'tags'],
};
const question: QuestionRequest = { kind: 'question', id: 'q', prompt: 'Q?', schema };

describe('formProblems', () => {
  it('accepts values that fit, leaving optional fields out', () => {
    expect(formProblems(schema, { name: 'Ada', tags: ['a'] })).toEqual({});
    expect(formProblems(schema, { name: 'Ada', n: 3, ratio: 0.5, ok: false, pace: 'slow', tags: ['a', 'c'] })).toEqual(
      {},
    );
  });

  it.each([
    [{ tags: ['a'] }, { name: 'is required' }],
    [{ name: '   ', tags: ['a'] }, { name: 'is required' }],
    [{ name: 'A', tags: ['a'] }, { name: 'must be at least 2 characters' }],
    [{ name: 'Adalovelace', tags: ['a'] }, { name: 'must be at most 5 characters' }],
    [{ name: 'Ada', tags: [] }, { tags: 'is required' }],
    [{ name: 'Ada', tags: ['a', 'b', 'c'] }, { tags: 'allows at most 2' }],
    [{ name: 'Ada', tags: ['a', 'a'] }, { tags: 'lists a choice twice' }],
    [{ name: 'Ada', tags: ['z'] }, { tags: 'may only hold: a, b, c' }],
    [{ name: 'Ada', tags: ['a'], n: 1.5 }, { n: 'must be a whole number' }],
    [{ name: 'Ada', tags: ['a'], n: 0 }, { n: 'must be at least 1' }],
    [{ name: 'Ada', tags: ['a'], n: '2' }, { n: 'must be a number' }],
    [{ name: 'Ada', tags: ['a'], ratio: 2 }, { ratio: 'must be at most 1' }],
    [{ name: 'Ada', tags: ['a'], ok: 'yes' }, { ok: 'must be yes or no' }],
    [{ name: 'Ada', tags: ['a'], pace: 'medium' }, { pace: 'must be one of: slow, fast' }],
    [{ name: 42, tags: ['a'] }, { name: 'must be text' }],
    [{ name: 'Ada', tags: ['a'], extra: 'x' }, { '': 'has no field "extra"' }],
  ])('refuses %j', (values, problems) => {
    expect(formProblems(schema, values)).toEqual(problems);
  });
});

describe('answerProblem', () => {
  const approval = { kind: 'approval', id: 'a', tool: 't', call_id: 'c', arguments: '{}' } as const;

  it('matches the answer to the kind of request', () => {
    expect(answerProblem(approval, { kind: 'approval', decision: 'deny', reason: 'no' })).toBeUndefined();
    expect(answerProblem(approval, { kind: 'decline' })).toBe('a tool-call approval is answered with allow or deny');
    expect(answerProblem(question, { kind: 'decline' })).toBeUndefined();
    expect(answerProblem(question, { kind: 'approval', decision: 'allow_once' })).toBe(
      'a question is answered with its form (or declined)',
    );
  });

  it('names the first field that does not fit, by its title when it has one', () => {
    expect(answerProblem(question, { kind: 'question', values: { tags: ['a'] } })).toBe('name is required');
    const titled: QuestionRequest = {
      ...question,
      schema: { type: 'object', properties: { n: { type: 'integer', title: 'Nights', maximum: 3 } } },
    };
    expect(answerProblem(titled, { kind: 'question', values: { n: 9 } })).toBe('Nights must be at most 3');
  });

  it('bounds a reason', () => {
    expect(answerProblem(approval, { kind: 'approval', decision: 'deny', reason: 'x'.repeat(2001) })).toBe(
      'the reason is longer than 2000 characters',
    );
  });
});

describe('parsers', () => {
  const frame = (answer: unknown) =>
    JSON.stringify({ type: 'answer', chat_id: 'c1', client_msg_id: 'a1', message_id: 'm1', request_id: 'r1', answer });

  it('reads an answer frame, and refuses a malformed one with a typed error naming the field', () => {
    expect(parseClientFrame(frame({ kind: 'approval', decision: 'allow_always' }))).toMatchObject({ ok: true });
    expect(parseClientFrame(frame({ kind: 'approval', decision: 'maybe' }))).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_field',
        message: 'answer.answer.decision must be one of allow_once, allow_always, deny',
        ref: 'a1',
      },
    });
    expect(parseClientFrame(frame({ kind: 'question', values: { x: { nested: true } } }))).toMatchObject({
      ok: false,
      error: { code: 'invalid_field', ref: 'a1' },
    });
    expect(parseClientFrame(frame({ kind: 'question', values: [] }))).toMatchObject({ ok: false });
  });

  it('reads a request event from an agent, and refuses schemas outside the subset', () => {
    const event = (request: unknown) => JSON.stringify({ type: 'request', chat_id: 'c1', turn_id: 't1', request });
    expect(parseAgentFrame(event({ kind: 'question', id: 'q', prompt: 'Q?', schema }))).toMatchObject({ ok: true });
    const bad = [
      { kind: 'question', id: 'q', prompt: 'Q?', schema: { type: 'object', properties: {} } },
      { kind: 'question', id: 'q', prompt: 'Q?', schema: { type: 'object', properties: { a: { type: 'object' } } } },
      {
        kind: 'question',
        id: 'q',
        prompt: 'Q?',
        schema: { type: 'object', properties: { a: { type: 'string', enum: [] } } },
      },
      {
        kind: 'question',
        id: 'q',
        prompt: 'Q?',
        schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] },
      },
      {
        kind: 'question',
        id: 'q',
        prompt: 'Q?',
        schema: { type: 'object', properties: { 'a b': { type: 'string' } } },
      },
      { kind: 'approval', id: 'a', tool: '', call_id: 'c', arguments: '{}' },
      { kind: 'poll', id: 'p' },
    ];
    for (const request of bad) {
      const parsed = parseAgentFrame(event(request));
      expect(parsed.ok, JSON.stringify(request)).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe('invalid_field');
    }
  });

  it('keeps what it read and nothing else', () => {
    const parsed = humanRequestParser(
      { kind: 'approval', id: 'a', tool: 't', call_id: 'c', arguments: '{}', extra: 'dropped', __proto__: { x: 1 } },
      'request',
    );
    expect(parsed).toEqual({
      ok: true,
      value: { kind: 'approval', id: 'a', tool: 't', call_id: 'c', arguments: '{}' },
    });
  });
});
