/** The protocol parsers: every frame of every direction round-trips; bad input gets a typed error, never a throw. */

import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  parseAgentFrame,
  parseClientFrame,
  parseRelayFrame,
  parseRelayToAgentFrame,
  type AgentToRelayFrame,
  type ClientFrame,
  type RelayFrame,
  type RelayToAgentFrame,
} from './index.ts';
import { chatMessageParser } from './parse-model.ts';

const epoch = 'mwplkhmz-nzHUkJas';
const stamp = { chat_id: 'c1', seq: 3, epoch };
const inTurn = { ...stamp, turn_id: 't_1', message_id: 'm_2' };
const png = { id: 'a1', name: 'dot.png', mime: 'image/png', size: 3, data: 'AAAA' };
const message = { id: 'm_1', role: 'user' as const, text: 'hi', created_at: 1 };
const agent = { name: 'Demo', capabilities: ['markdown' as const], models: ['a'], model: 'a', online: true };

const clientFrames: ClientFrame[] = [
  { type: 'subscribe', chat_id: 'c1' },
  { type: 'subscribe', chat_id: 'c1', epoch, after_seq: 7 },
  { type: 'unsubscribe', chat_id: 'c1' },
  { type: 'send', chat_id: 'c1', client_msg_id: 'c-1', text: 'hi' },
  {
    type: 'send',
    chat_id: 'c1',
    client_msg_id: 'c-2',
    text: '',
    attachments: [png],
    context: [{ role: 'assistant', text: 'x' }],
    model: 'a',
  },
  { type: 'send', chat_id: 'c1', client_msg_id: 'c-4', text: 'hi', regenerate: { message_id: 'm_1', replaces: 'm_2' } },
  { type: 'send', chat_id: 'c1', client_msg_id: 'c-5', text: 'hi again', version_of: 'm_1' },
  { type: 'stop', chat_id: 'c1' },
  { type: 'stop', chat_id: 'c1', turn_id: 't_1' },
  { type: 'action', chat_id: 'c1', client_msg_id: 'c-3', message_id: 'm_2', action_id: 'yes' },
  { type: 'history', chat_id: 'c1', request_id: 'r1', before: 'm_9', limit: 50 },
  { type: 'ping', nonce: 'n' },
];

const relayFrames: RelayFrame[] = [
  {
    type: 'ready',
    protocol: 2,
    epoch,
    client_id: 'laptop',
    agent,
    limits: { ...LIMITS },
    rate: { per_second: 20, burst: 60 },
  },
  { type: 'subscribed', chat_id: 'c1', epoch, head_seq: 12, recovered: true },
  { type: 'unsubscribed', chat_id: 'c1' },
  { type: 'ack', chat_id: 'c1', client_msg_id: 'c-1', message_id: 'm_1', seq: 4 },
  { type: 'agent_state', agent },
  { type: 'history_result', chat_id: 'c1', request_id: 'r1', messages: [message], complete: true },
  { type: 'error', code: 'bad_json', message: 'frame is not valid JSON' },
  { type: 'error', code: 'text_too_large', message: 'too long', chat_id: 'c1', ref: 'c-1' },
  { type: 'pong', nonce: 'n' },
  { type: 'message', ...stamp, message },
  {
    type: 'message',
    ...stamp,
    message: {
      id: 'm_2',
      role: 'assistant',
      text: 'done',
      created_at: 2,
      turn_id: 't_1',
      status: 'done',
      reasoning: 'hmm',
      tools: [{ call_id: 'k', name: 'search', arguments: '{}', output: 'o', status: 'done', result: 'r' }],
      attachments: [png],
      buttons: [[{ id: 'yes', label: 'Yes' }]],
      used_actions: ['yes'],
      edited_at: 9,
    },
  },
  { type: 'turn_start', ...inTurn, reply_to: 'm_1', created_at: 5 },
  { type: 'turn_start', ...inTurn, reply_to: 'm_1', version_of: 'm_0', created_at: 5 },
  { type: 'delta', ...inTurn, text: 'He' },
  { type: 'reasoning_delta', ...inTurn, text: 'thinking' },
  { type: 'tool_call', ...inTurn, call_id: 'k', name: 'search', arguments: '{"q":1}' },
  { type: 'tool_output', ...inTurn, call_id: 'k', text: 'line\n' },
  { type: 'tool_result', ...inTurn, call_id: 'k', status: 'error', result: 'boom' },
  { type: 'file', ...inTurn, attachment: png },
  { type: 'buttons', ...inTurn, buttons: [[{ id: 'a', label: 'A' }], [{ id: 'b', label: 'B' }]] },
  { type: 'typing', ...inTurn, active: true },
  { type: 'turn_end', ...inTurn, status: 'error', error: 'upstream 500' },
  { type: 'message_edit', ...stamp, message_id: 'm_2', text: 'new', edited_at: 5 },
  { type: 'action_used', ...stamp, message_id: 'm_2', action_id: 'yes' },
  { type: 'retract', ...stamp, message_id: 'm_2' },
];

const agentFrames: AgentToRelayFrame[] = [
  { type: 'hello', protocol: 1, name: 'Echo', capabilities: ['markdown', 'stop'], models: ['x'], model: 'x' },
  { type: 'state', models: ['x', 'y'], model: 'y' },
  { type: 'delta', chat_id: 'c1', turn_id: 't_1', text: 'hi' },
  { type: 'tool_call', chat_id: 'c1', turn_id: 't_1', call_id: 'k', name: 'n', arguments: '{}' },
  { type: 'message_edit', chat_id: 'c1', turn_id: 't_1', message_id: 'm_0', text: 'edited' },
  { type: 'turn_end', chat_id: 'c1', turn_id: 't_1', status: 'done' },
  { type: 'history_result', chat_id: 'c1', request_id: 'h1', messages: [message], complete: false },
];

const toAgentFrames: RelayToAgentFrame[] = [
  { type: 'welcome', protocol: 1 },
  { type: 'turn', chat_id: 'c1', turn_id: 't_1', message_id: 'm_2', input: { kind: 'message', message }, context: [] },
  {
    type: 'turn',
    chat_id: 'c1',
    turn_id: 't_2',
    message_id: 'm_3',
    input: { kind: 'action', message_id: 'm_2', action_id: 'yes', label: 'Yes' },
    context: [],
    model: 'x',
  },
  { type: 'stop', chat_id: 'c1', turn_id: 't_1' },
  { type: 'history', chat_id: 'c1', request_id: 'h1', limit: 20 },
  { type: 'error', code: 'bad_state', message: 'send hello first' },
];

describe('round trips', () => {
  it.each(clientFrames)('client → relay $type', (f) =>
    expect(parseClientFrame(JSON.stringify(f))).toEqual({ ok: true, value: f }),
  );
  it.each(relayFrames)('relay → client $type', (f) =>
    expect(parseRelayFrame(JSON.stringify(f))).toEqual({ ok: true, value: f }),
  );
  it.each(agentFrames)('agent → relay $type', (f) =>
    expect(parseAgentFrame(JSON.stringify(f))).toEqual({ ok: true, value: f }),
  );
  it.each(toAgentFrames)('relay → agent $type', (f) =>
    expect(parseRelayToAgentFrame(JSON.stringify(f))).toEqual({ ok: true, value: f }),
  );
});

describe('typed errors', () => {
  const code = (raw: string) => {
    const r = parseClientFrame(raw);
    return r.ok ? 'ok' : r.error.code;
  };

  it.each([
    ['', 'bad_json'],
    ['null', 'bad_frame'],
    ['"send"', 'bad_frame'],
    ['{"type":7}', 'bad_frame'],
    ['{"type":"toString"}', 'unknown_type'],
    ['{"type":"__proto__"}', 'unknown_type'],
    ['{"type":"subscribe"}', 'invalid_field'],
    ['{"type":"subscribe","chat_id":"a b"}', 'invalid_chat_id'],
    ['{"type":"subscribe","chat_id":"ok","after_seq":1.5}', 'invalid_field'],
    ['{"type":"subscribe","chat_id":"ok","after_seq":1e300}', 'invalid_field'],
    ['{"type":"subscribe","chat_id":"ok","epoch":"<script>"}', 'invalid_field'],
    [
      '{"type":"send","chat_id":"ok","client_msg_id":"x","text":"hi","attachments":[{"id":"a","name":"n","mime":"image/svg+xml","size":3,"data":"AAAA"}]}',
      'attachment_type',
    ],
    [
      '{"type":"send","chat_id":"ok","client_msg_id":"x","text":"hi","attachments":[{"id":"a","name":"n","mime":"image/png","size":3,"data":"A$A="}]}',
      'invalid_field',
    ],
    [
      '{"type":"send","chat_id":"ok","client_msg_id":"x","text":"hi","context":[{"role":"tool","text":"x"}]}',
      'invalid_field',
    ],
    ['{"type":"action","chat_id":"ok","client_msg_id":"x","message_id":"m","action_id":"a b"}', 'invalid_field'],
    ['{"type":"history","chat_id":"ok","request_id":"r","limit":0}', 'invalid_field'],
  ])('%s → %s', (raw, expected) => expect(code(raw)).toBe(expected));

  it('reads only own properties, so inherited names are never fields', () => {
    // JSON.parse makes `__proto__` an own key, so a frame cannot test this; a value from elsewhere
    // (a stored record, an object a library agent hands over) can carry fields on its prototype.
    const inherited: object = Object.assign(Object.create({ text: 'injected', created_at: 1 }) as object, {
      id: 'm1',
      role: 'user',
    });
    const r = chatMessageParser()(inherited, 'message');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('message.text is required');
    const frame = parseClientFrame(
      '{"type":"send","chat_id":"ok","client_msg_id":"x","__proto__":{"text":"injected"}}',
    );
    expect(frame.ok).toBe(false);
  });

  it('survives deep nesting and huge inputs without throwing', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(code(deep)).toBe('bad_frame');
    const nested = `{"type":"send","chat_id":"ok","client_msg_id":"x","text":"a","context":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    expect(code(nested)).toBe('invalid_field');
    expect(code(JSON.stringify({ type: 'ping', nonce: 'x'.repeat(1_000_000) }))).toBe('invalid_field');
  });

  it('applies lower limits a relay passes in', () => {
    const r = parseClientFrame(
      JSON.stringify({ type: 'send', chat_id: 'ok', client_msg_id: 'x', text: 'x'.repeat(11) }),
      { ...LIMITS, maxTextChars: 10 },
    );
    expect(r.ok ? 'ok' : r.error).toMatchObject({ code: 'text_too_large', chatId: 'ok', ref: 'x', frameType: 'send' });
  });

  it('refuses an agent frame whose capabilities are unknown', () => {
    const r = parseAgentFrame(JSON.stringify({ type: 'hello', protocol: 1, name: 'x', capabilities: ['telepathy'] }));
    expect(r.ok ? 'ok' : r.error.code).toBe('invalid_field');
  });
});
