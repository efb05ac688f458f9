/** Property tests of every protocol parser: random and mutated frames never throw, and always yield a typed answer. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  parseAgentFrame,
  parseClientFrame,
  parseRelayFrame,
  parseRelayToAgentFrame,
  type Result,
} from '../../shared/index.ts';

/** Runs per property in `npm test`; `npm run fuzz` raises it (FUZZ_RUNS). */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);

const SEEDS: Record<string, object[]> = {
  client: [
    { type: 'subscribe', chat_id: 'c1', epoch: 'e-1', after_seq: 3 },
    {
      type: 'send',
      chat_id: 'c1',
      client_msg_id: 'x',
      text: 'hi',
      attachments: [{ id: 'a', name: 'a.png', mime: 'image/png', size: 3, data: 'AAAA' }],
      context: [{ role: 'user', text: 'q' }],
    },
    { type: 'action', chat_id: 'c1', client_msg_id: 'y', message_id: 'm', action_id: 'ok' },
    { type: 'history', chat_id: 'c1', request_id: 'r', limit: 5 },
    { type: 'stop', chat_id: 'c1' },
    {
      type: 'workspace_write',
      chat_id: 'workspace',
      client_msg_id: 'w',
      changes: [{ chat: 'c1', field: 'pin/m1', value: true, at: '001700000000000.000000.n' }],
    },
  ],
  relay: [
    {
      type: 'workspace',
      chat_id: 'workspace',
      seq: 3,
      epoch: 'e',
      changes: [{ chat: 'c1', field: 'title', value: 'T', at: '001700000000000.000001.n' }],
    },
    {
      type: 'message',
      chat_id: 'c',
      seq: 1,
      epoch: 'e',
      message: {
        id: 'm',
        role: 'assistant',
        text: 't',
        created_at: 1,
        tools: [{ call_id: 'k', name: 'n', arguments: '{}', output: '', status: 'running' }],
        buttons: [[{ id: 'b', label: 'B' }]],
      },
    },
    { type: 'delta', chat_id: 'c', seq: 2, epoch: 'e', turn_id: 't', message_id: 'm', text: 'x' },
    {
      type: 'ready',
      protocol: 1,
      epoch: 'e',
      client_id: 'c',
      agent: { name: 'a', capabilities: ['markdown'], online: true },
      limits: {
        maxFrameBytes: 1,
        maxTextChars: 1,
        maxAttachments: 1,
        maxAttachmentBytes: 1,
        maxTotalAttachmentBytes: 1,
        maxContextMessages: 1,
        maxContextChars: 1,
        maxButtons: 1,
        maxLabelChars: 1,
      },
    },
    { type: 'error', code: 'bad_json', message: 'm', chat_id: 'c', ref: 'r' },
  ],
  agent: [
    { type: 'hello', protocol: 1, name: 'a', capabilities: ['stop'] },
    { type: 'tool_result', chat_id: 'c', turn_id: 't', call_id: 'k', status: 'done', result: 'r' },
    {
      type: 'file',
      chat_id: 'c',
      turn_id: 't',
      attachment: { id: 'a', name: 'n.txt', mime: 'text/plain', size: 3, data: 'AAAA' },
    },
    { type: 'history_result', chat_id: 'c', request_id: 'r', messages: [], complete: true },
  ],
  toAgent: [
    {
      type: 'turn',
      chat_id: 'c',
      turn_id: 't',
      message_id: 'm',
      input: { kind: 'action', message_id: 'm0', action_id: 'a', label: 'A' },
      context: [],
    },
    { type: 'history', chat_id: 'c', request_id: 'r', limit: 3 },
  ],
};

const parsers: [string, (raw: string) => Result<{ type: string }>][] = [
  ['client', parseClientFrame],
  ['relay', parseRelayFrame],
  ['agent', parseAgentFrame],
  ['toAgent', parseRelayToAgentFrame],
];

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''];
const weirdValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(1e308, -1e308, -0, 2 ** 53, -(2 ** 53) - 2, 0.5, Number.MAX_SAFE_INTEGER + 2),
  fc.string({ maxLength: 5000 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '👩‍👩‍👧', '<script>alert(1)</script>', 'javascript:alert(1)'),
);

/** A valid frame with one field removed, replaced, added or nested deeply. */
function mutated(side: string) {
  const seeds = SEEDS[side] ?? [];
  return fc
    .tuple(fc.constantFrom(...seeds), fc.nat(), weirdValue, fc.constantFrom(...HOSTILE_KEYS), fc.nat({ max: 3 }))
    .map(([seed, pick, value, hostile, how]) => {
      const frame: Record<string, unknown> = JSON.parse(JSON.stringify(seed));
      const keys = Object.keys(frame);
      const key = keys[pick % keys.length] ?? 'type';
      if (how === 0) delete frame[key];
      else if (how === 1) frame[key] = value;
      else if (how === 2)
        Object.defineProperty(frame, hostile, { value, enumerable: true, configurable: true, writable: true });
      else frame[key] = JSON.parse(`${'['.repeat(500)}${JSON.stringify(value) ?? 'null'}${']'.repeat(500)}`);
      return JSON.stringify(frame);
    });
}

function check(result: Result<{ type: string }>): void {
  if (result.ok) {
    expect(typeof result.value.type).toBe('string');
  } else {
    expect(ERROR_CODES).toContain(result.error.code);
    expect(typeof result.error.message).toBe('string');
  }
}

describe.each(parsers)('the %s parser', (side, parse) => {
  it('answers any JSON, or none, with a frame or a typed error — never a throw', () => {
    const anyText = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 2000 }),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(anyText, (raw) => check(parse(raw))),
      { numRuns: RUNS },
    );
  });

  it('answers mutated valid frames with a typed result, and whatever it accepts survives a round trip', () => {
    fc.assert(
      fc.property(mutated(side), (raw) => {
        const result = parse(raw);
        check(result);
        if (result.ok) expect(parse(JSON.stringify(result.value))).toEqual(result);
      }),
      { numRuns: RUNS },
    );
  });
});
