/** Agent requests (approvals, questions) on both backends: answered once across connections, typed refusals, stop. */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { askApproval, askQuestion, type AgentEvent, type AnswerFrame, type HumanAnswer } from '../../shared/index.ts';
import type { RelayConfig } from '../../relay/config.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { inputText, ScriptedAgent } from '../helpers/scripted-agent.ts';
import { Transcript } from '../helpers/transcript.ts';
import { BACKENDS, exchange, follower, request, stopBackends } from './backends.ts';

const open: { relays: TestRelay[]; clients: TestClient[] } = { relays: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const r of open.relays.splice(0)) await r.close();
});
afterAll(stopBackends);

/** The clock the relay and the agent share in these tests. */
const T0 = 1_900_000_000_000;

function humanAgent(): ScriptedAgent {
  return new ScriptedAgent(async function* (turn, signal): AsyncGenerator<AgentEvent> {
    const text = inputText(turn);
    if (turn.input.kind === 'answer') {
      yield { type: 'delta', text: `got ${JSON.stringify(turn.input.answer)}` };
    } else if (text === 'approve') {
      yield { type: 'delta', text: 'may I?' };
      yield askApproval({ tool: 'rm', call_id: 'c1', arguments: { path: '/tmp/x' }, expires_at: T0 + 60_000 });
    } else if (text === 'ask') {
      yield askQuestion({
        id: 'q1',
        prompt: 'How many?',
        schema: {
          type: 'object',
          properties: { n: { type: 'integer', minimum: 1, maximum: 5 }, pick: { type: 'string', enum: ['a', 'b'] } },
          required: ['n'],
        },
      });
    } else if (text === 'ask-and-wait') {
      yield askApproval({ tool: 'rm', call_id: 'c2', arguments: '{}' });
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    }
  });
}

const allow: HumanAnswer = { kind: 'approval', decision: 'allow_once' };

describe.each(Object.entries(BACKENDS))('agent requests (%s)', (name, startBackend) => {
  let chats = 0;
  async function setUp(config: Partial<RelayConfig> = {}) {
    const clock = { now: T0 };
    const agent = humanAgent();
    const relay = await startBackend(config, agent, () => clock.now);
    open.relays.push(relay);
    const chat = `hitl-${name}-${++chats}-${Date.now()}`;
    const follow = async () => {
      const f = await follower(relay, chat);
      open.clients.push(f.client);
      return f;
    };
    const { client } = await follow();
    return { agent, relay, chat, client, clock, follow };
  }

  const answer = (chat: string, messageId: string, id: string, a: HumanAnswer, requestId = 'approve_c1') =>
    ({
      type: 'answer',
      chat_id: chat,
      client_msg_id: id,
      message_id: messageId,
      request_id: requestId,
      answer: a,
      device: `device ${id}`,
    }) satisfies AnswerFrame;

  it('takes the first answer of two connections, repeats its ack to a resend, and tells everyone who answered', async () => {
    const { agent, chat, client, follow } = await setUp();
    const other = (await follow()).client;
    const { start } = await exchange(client, chat, 'approve', 'm-1');
    const ack = await request(client, answer(chat, start.message_id, 'a-1', allow), 'a-1');
    expect(ack).toMatchObject({ type: 'ack', message_id: start.message_id });
    const deny: HumanAnswer = { kind: 'approval', decision: 'deny', reason: 'no' };
    expect(await request(other, answer(chat, start.message_id, 'a-2', deny), 'a-2')).toMatchObject({
      type: 'error',
      code: 'request_answered',
      ref: 'a-2',
    });
    // A resend of the winning answer (a reconnect) is acked again and starts nothing more.
    expect(await request(client, answer(chat, start.message_id, 'a-1', allow), 'a-1')).toEqual(ack);
    const continued = await other.waitType('turn_end', (t) => t.turn_id === agent.started[1]?.turn_id);
    expect(continued.status).toBe('done');
    expect(agent.started.map((t) => t.input.kind)).toEqual(['message', 'answer']);
    const input = agent.started[1]?.input;
    expect(input).toMatchObject({
      kind: 'answer',
      message_id: start.message_id,
      request: { kind: 'approval', tool: 'rm', call_id: 'c1', arguments: '{"path":"/tmp/x"}' },
      answer: allow,
      answered_by: { device: 'device a-1' },
    });
    const answered = other.events(chat).find((e) => e.type === 'request_answered');
    expect(answered).toMatchObject({ request_id: 'approve_c1', answer: allow, answered_at: T0 });
    // A device that comes later sees the request answered, and from where.
    const seen = new Transcript();
    for (const e of (await follow()).replay) seen.apply(e);
    expect(seen.get(start.message_id)?.requests?.[0]).toMatchObject({
      answer: allow,
      answered_by: { device: 'device a-1' },
      answered_at: T0,
    });
  });

  it('refuses a late answer, an unknown request and an answer that does not fit, with typed errors', async () => {
    const { agent, chat, client, clock } = await setUp();
    const { start } = await exchange(client, chat, 'approve', 'm-1');
    expect(await request(client, answer(chat, start.message_id, 'x-1', allow, 'nope'), 'x-1')).toMatchObject({
      code: 'unknown_request',
    });
    const wrongKind: HumanAnswer = { kind: 'question', values: {} };
    expect(await request(client, answer(chat, start.message_id, 'x-2', wrongKind), 'x-2')).toMatchObject({
      code: 'invalid_answer',
    });
    clock.now = T0 + 60_000;
    expect(await request(client, answer(chat, start.message_id, 'x-3', allow), 'x-3')).toMatchObject({
      code: 'request_closed',
      message: 'that request has expired; it takes no answer now',
    });
    const q = await exchange(client, chat, 'ask', 'm-2');
    const tooMany: HumanAnswer = { kind: 'question', values: { n: 9 } };
    expect(await request(client, answer(chat, q.start.message_id, 'x-4', tooMany, 'q1'), 'x-4')).toMatchObject({
      code: 'invalid_answer',
      message: 'That answer does not fit: n must be at most 5.',
    });
    // The connection stays usable: a good answer after the bad ones is taken.
    const good: HumanAnswer = { kind: 'question', values: { n: 2, pick: 'b' } };
    const from = client.frames.length;
    expect(await request(client, answer(chat, q.start.message_id, 'x-5', good, 'q1'), 'x-5')).toMatchObject({
      type: 'ack',
    });
    await client.waitType('turn_end', undefined, from);
    expect(agent.started.map((t) => t.input.kind)).toEqual(['message', 'message', 'answer']);
  });

  it('opens a request when its turn ends; stopping that turn cancels it for everyone', async () => {
    const { agent, chat, client, follow } = await setUp();
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'm-1', text: 'ask-and-wait' });
    const raised = await client.waitType('request');
    const early = answer(chat, raised.message_id, 'a-0', allow, 'approve_c2');
    expect(await request(client, early, 'a-0')).toMatchObject({
      code: 'request_closed',
      message: 'that request opens when the reply asking it ends; answer it then',
    });
    client.send({ type: 'stop', chat_id: chat, turn_id: raised.turn_id });
    expect((await client.waitType('turn_end', (t) => t.turn_id === raised.turn_id)).status).toBe('stopped');
    const late = answer(chat, raised.message_id, 'a-1', allow, 'approve_c2');
    expect(await request(client, late, 'a-1')).toMatchObject({ code: 'request_closed' });
    const seen = new Transcript();
    for (const e of (await follow()).replay) seen.apply(e);
    expect(seen.get(raised.message_id)?.requests?.[0]?.cancelled).toBe('stopped');
    expect(agent.started).toHaveLength(1);
  });
});
