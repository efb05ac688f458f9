/** `continue`: a stopped reply is picked up again with itself as context; anything else is refused (both backends). */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent, ChatMessage, TurnRequest } from '../../shared/index.ts';
import { DemoAgent } from '../../relay/agents/demo/demo-agent.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { Transcript } from '../helpers/transcript.ts';
import { inputText, ScriptedAgent } from '../helpers/scripted-agent.ts';
import { BACKENDS, exchange, follower, request, stopBackends } from '../backends/backends.ts';

const open: { relays: TestRelay[]; clients: TestClient[] } = { relays: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const r of open.relays.splice(0)) await r.close();
});
afterAll(stopBackends);

/** `stall` writes a little and waits to be stopped; a turn whose context ends with a reply says what it continues. */
function continuingAgent(): ScriptedAgent {
  return new ScriptedAgent(async function* (turn, signal): AsyncGenerator<AgentEvent> {
    const last = turn.context.at(-1);
    if (last?.role === 'assistant') {
      yield { type: 'delta', text: `continuing "${last.text}" of ${inputText(turn)}` };
    } else if (inputText(turn) === 'stall') {
      yield { type: 'delta', text: 'half a tho' };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    } else {
      yield { type: 'delta', text: `re: ${inputText(turn)}` };
    }
  });
}

describe.each(Object.entries(BACKENDS))('continue (%s backend)', (name, startBackend) => {
  let chats = 0;
  async function setUp() {
    const agent = continuingAgent();
    const relay = await startBackend({}, agent);
    open.relays.push(relay);
    const chat = `continue-${name}-${++chats}-${Date.now()}`;
    const { client } = await follower(relay, chat);
    open.clients.push(client);
    return { agent, relay, chat, client };
  }

  it('continues a stopped reply: the agent gets its question as input and the partial reply as context', async () => {
    const { agent, relay, chat, client } = await setUp();
    const from = client.frames.length;
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'q-1', text: 'stall' });
    const start = await client.waitType('turn_start', () => true, from);
    await client.waitType('delta', () => true, from);
    client.send({ type: 'stop', chat_id: chat, turn_id: start.turn_id });
    await client.waitType('turn_end', (t) => t.turn_id === start.turn_id && t.status === 'stopped', from);

    const at = client.frames.length;
    const prior = [{ role: 'user' as const, text: 'earlier' }];
    const ack = await request(
      client,
      { type: 'continue', chat_id: chat, client_msg_id: 'c-1', message_id: start.message_id, context: prior },
      'c-1',
    );
    expect(ack).toMatchObject({ type: 'ack', message_id: start.message_id });
    const next = await client.waitType('turn_start', (t) => t.turn_id !== start.turn_id, at);
    await client.waitType('turn_end', (t) => t.turn_id === next.turn_id && t.status === 'done', at);
    const turn = agent.started.at(-1);
    expect(turn?.input).toMatchObject({ kind: 'message', message: { id: 'q-1', role: 'user', text: 'stall' } });
    expect(turn?.context).toEqual([...prior, { role: 'assistant', text: 'half a tho' }]);
    expect(next.reply_to).toBe('q-1');

    // A resend of the frame gets the first ack and runs nothing again.
    expect(
      await request(
        client,
        { type: 'continue', chat_id: chat, client_msg_id: 'c-1', message_id: start.message_id },
        'c-1',
      ),
    ).toEqual(ack);
    expect(agent.started).toHaveLength(2);

    // Everyone sees the question once, the partial reply unchanged, and the new reply after it.
    const { replay } = await follower(relay, chat);
    const seen = new Transcript();
    for (const e of replay) seen.apply(e);
    expect(seen.messages.map((m) => [m.role, m.id, m.status, m.text])).toEqual([
      ['user', 'q-1', undefined, 'stall'],
      ['assistant', start.message_id, 'stopped', 'half a tho'],
      ['assistant', next.message_id, 'done', 'continuing "half a tho" of stall'],
    ]);
  });

  it('refuses a stopped reply that was deleted (withdrawn everywhere) with cannot_continue', async () => {
    const { agent, chat, client } = await setUp();
    const from = client.frames.length;
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'q-1', text: 'stall' });
    const start = await client.waitType('turn_start', () => true, from);
    await client.waitType('delta', () => true, from);
    client.send({ type: 'stop', chat_id: chat, turn_id: start.turn_id });
    await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
    const deleted = await request(
      client,
      { type: 'delete', chat_id: chat, client_msg_id: 'd-1', message_id: start.message_id },
      'd-1',
    );
    expect(deleted).toMatchObject({ type: 'ack' });
    const answer = await request(
      client,
      { type: 'continue', chat_id: chat, client_msg_id: 'c-1', message_id: start.message_id },
      'c-1',
    );
    expect(answer).toMatchObject({ type: 'error', code: 'cannot_continue', ref: 'c-1' });
    expect(agent.started).toHaveLength(1);
  });

  it('refuses a finished reply, a user message and an unknown id with cannot_continue; the connection stays usable', async () => {
    const { agent, chat, client } = await setUp();
    const { ack, start } = await exchange(client, chat, 'hello', 'q-1');
    const refused = async (message_id: string, ref: string) => {
      const answer = await request(client, { type: 'continue', chat_id: chat, client_msg_id: ref, message_id }, ref);
      expect(answer).toMatchObject({ type: 'error', code: 'cannot_continue', chat_id: chat, ref });
    };
    await refused(start.message_id, 'c-done');
    await refused(ack.message_id, 'c-user');
    await refused('m_nowhere', 'c-unknown');
    expect(agent.started).toHaveLength(1);
    await exchange(client, chat, 'still here', 'q-2');
    expect(agent.started).toHaveLength(2);
  });
});

describe('the demo agent continues', () => {
  it('says it continues and writes only what the stopped reply had not', async () => {
    const demo = new DemoAgent({ delayMs: 0 });
    const question: ChatMessage = { id: 'q-1', role: 'user', text: '/long 40', created_at: 1 };
    const turn = (id: string, context: TurnRequest['context']): TurnRequest => ({
      chat_id: 'demo-continue',
      turn_id: `t-${id}`,
      message_id: id,
      input: { kind: 'message', message: question },
      context,
    });
    /** The text of a turn's deltas; with `stopAfter`, the consumer stops reading after that many (as a stop does). */
    const textOf = async (events: AsyncIterable<AgentEvent>, stopAfter = Infinity) => {
      let text = '';
      let n = 0;
      for await (const e of events) if (e.type === 'delta' && ((text += e.text), ++n >= stopAfter)) break;
      return text;
    };
    const whole = await textOf(demo.run(turn('r-0', []), new AbortController().signal));
    const partial = await textOf(demo.run(turn('r-1', []), new AbortController().signal), 5);
    expect(whole.startsWith(partial) && partial.length < whole.length).toBe(true);
    const rest = await textOf(
      demo.run(turn('r-2', [{ role: 'assistant', text: partial }]), new AbortController().signal),
    );
    const note = `*Continuing the reply that stopped after ${partial.length} characters…*\n\n`;
    expect(rest).toBe(note + whole.slice(partial.length));
    // A new message whose context ends with a reply (as every send's does) is answered afresh, not continued.
    const next: TurnRequest = {
      ...turn('r-3', [{ role: 'assistant', text: rest }]),
      input: { kind: 'message', message: { ...question, id: 'q-2' } },
    };
    expect(await textOf(demo.run(next, new AbortController().signal))).toBe(whole);
  });
});
