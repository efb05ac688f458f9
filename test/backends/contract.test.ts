/** One contract, two backends: what a peer sees of the in-process and the Redis backend must be the same. */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RelayConfig } from '../../relay/config.ts';
import { Transcript } from '../helpers/transcript.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import type { ScriptedAgent } from '../helpers/scripted-agent.ts';
import { BACKENDS, contractAgent, exchange, follower, replayedMessages, request, stopBackends } from './backends.ts';

const open: { relays: TestRelay[]; clients: TestClient[] } = { relays: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const r of open.relays.splice(0)) await r.close();
});
afterAll(stopBackends);

describe.each(Object.entries(BACKENDS))('backend contract (%s)', (name, startBackend) => {
  let chats = 0;
  /** A relay over this backend with a fresh chat, and a client following it. */
  async function setUp(config: Partial<RelayConfig> = {}, now?: () => number) {
    const agent: ScriptedAgent = contractAgent();
    const relay = await startBackend(config, agent, now);
    open.relays.push(relay);
    const chat = `contract-${name}-${++chats}-${Date.now()}`;
    const { client, subscribed } = await follower(relay, chat);
    open.clients.push(client);
    const follow = async (resume: { epoch?: string; after_seq?: number } = {}) => {
      const f = await follower(relay, chat, resume);
      open.clients.push(f.client);
      return f;
    };
    return { agent, relay, chat, client, epoch: subscribed.epoch, follow };
  }

  it('answers a resend inside --idempotency-window with the first ack and runs its turn once', async () => {
    const { agent, chat, client } = await setUp({ idempotencyWindow: 2 });
    const first = await exchange(client, chat, 'one', 'm-1');
    await exchange(client, chat, 'two', 'm-2');
    const third = await exchange(client, chat, 'three', 'm-3');
    const again = await request(client, { type: 'send', chat_id: chat, client_msg_id: 'm-3', text: 'three' }, 'm-3');
    expect(again).toEqual(third.ack);
    expect(agent.started).toHaveLength(3);
    // m-1 is the third id back: out of a window of two, so it is a new message with a turn of its own.
    const beyond = await exchange(client, chat, 'one', 'm-1');
    expect(beyond.ack.seq).toBeGreaterThan(third.end.seq);
    // Protocol 2: a message's id is its client_msg_id, so the repost carries the same id (PROTOCOL.md §1.7).
    expect([first.ack.message_id, beyond.ack.message_id]).toEqual(['m-1', 'm-1']);
    expect(agent.started).toHaveLength(4);
  });

  it('forgets a client_msg_id once it is older than the replay age', async () => {
    let clock = 1_000_000;
    const { agent, chat, client } = await setUp({ replayMaxAgeSec: 60 }, () => clock);
    const first = await exchange(client, chat, 'hello', 'm-old');
    clock += 59_000;
    expect(
      await request(client, { type: 'send', chat_id: chat, client_msg_id: 'm-old', text: 'hello' }, 'm-old'),
    ).toEqual(first.ack);
    clock += 2_000;
    const later = await exchange(client, chat, 'hello', 'm-old');
    expect(later.ack.seq).toBeGreaterThan(first.end.seq);
    expect(agent.started).toHaveLength(2);
  });

  it('takes a button press once: a repeat of it gets its ack, another press of it an error', async () => {
    const { agent, chat, client, follow } = await setUp();
    const { start } = await exchange(client, chat, 'buttons', 'm-1');
    const press = { type: 'action', chat_id: chat, message_id: start.message_id, action_id: 'yes' } as const;
    const ack = await request(client, { ...press, client_msg_id: 'p-1' }, 'p-1');
    expect(ack).toMatchObject({ type: 'ack', message_id: start.message_id });
    await client.waitType('turn_end', (t) => t.turn_id === agent.started[1]?.turn_id);
    expect(await request(client, { ...press, client_msg_id: 'p-1' }, 'p-1')).toEqual(ack);
    expect(await request(client, { ...press, client_msg_id: 'p-2' }, 'p-2')).toEqual({
      type: 'error',
      code: 'unknown_action',
      message: 'that button was already pressed',
      chat_id: chat,
      ref: 'p-2',
    });
    expect(await request(client, { ...press, action_id: 'maybe', client_msg_id: 'p-3' }, 'p-3')).toEqual({
      type: 'error',
      code: 'unknown_action',
      message: 'that button is no longer available',
      chat_id: chat,
      ref: 'p-3',
    });
    expect(agent.started.map((t) => t.input.kind)).toEqual(['message', 'action']);
    // A late client sees the button used, whether the backend marks the logged message or replays `action_used`.
    const seen = new Transcript();
    for (const e of (await follow()).replay) seen.apply(e);
    expect(seen.get(start.message_id)?.used_actions).toEqual(['yes']);
  });

  it('stops the running turn (by its id or none), and says when no such turn runs', async () => {
    const { chat, client } = await setUp();
    const noTurn = { type: 'error', code: 'no_active_turn', message: 'no turn is running in this chat', chat_id: chat };
    const from = client.frames.length;
    client.send({ type: 'stop', chat_id: chat });
    expect(await client.waitType('error', (e) => e.code === 'no_active_turn', from)).toEqual(noTurn);
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'm-1', text: 'stall' });
    const start = await client.waitType('turn_start', () => true, from);
    await client.waitType('tool_call', () => true, from);
    const wrong = client.frames.length;
    client.send({ type: 'stop', chat_id: chat, turn_id: 't_other' });
    expect(await client.waitType('error', (e) => e.code === 'no_active_turn', wrong)).toEqual(noTurn);
    client.send({ type: 'stop', chat_id: chat, turn_id: start.turn_id });
    const end = await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
    expect(end).toMatchObject({ status: 'stopped', message_id: start.message_id });
    expect(end.error).toBeUndefined();
    await exchange(client, chat, 'after', 'm-2');
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'm-3', text: 'stall' });
    const next = await client.waitType('tool_call', () => true, client.frames.length);
    client.send({ type: 'stop', chat_id: chat });
    expect(await client.waitType('turn_end', (t) => t.turn_id === next.turn_id)).toMatchObject({ status: 'stopped' });
  });

  it('keeps every event by default, past the replay window and age (a chat is its history on both backends)', async () => {
    let clock = 1_000_000;
    const { chat, client, epoch, follow } = await setUp({ replayMaxEvents: 10, replayMaxAgeSec: 60 }, () => clock);
    for (let i = 0; i < 8; i++) {
      await exchange(client, chat, `message ${i}`, `m-${i}`);
      // Two hours between messages: each is far older than --replay-max-age when the next is written.
      clock += 2 * 3600_000;
    }
    const { subscribed, replay } = await follow({ epoch, after_seq: 0 });
    expect(subscribed.recovered).toBe(true);
    const { messages, others } = replayedMessages(replay);
    expect(others).toEqual([]);
    expect(messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(
      Array.from({ length: 8 }, (_, i) => `message ${i}`),
    );
    expect(messages).toHaveLength(16);
  });

  it('says a resume is recovered exactly when nothing after its seq was evicted (replay-window.ts)', async () => {
    // An exchange is four events (question, turn_start, delta, turn_end); a finished one leaves two entries, the
    // question and the compacted reply at its turn_end's seq: 1 and 4, then 5 and 8. Each is some 2.2 kB, so
    // --history-max-bytes 5000 keeps the newest two on either backend (Redis also counts the running turn's delta).
    const { chat, client, epoch, follow } = await setUp({ historyMaxBytes: 5000 });
    await exchange(client, chat, `one ${'x'.repeat(2000)}`, 'm-1');
    const second = await exchange(client, chat, `two ${'x'.repeat(2000)}`, 'm-2');
    expect(second.end.seq).toBe(8);
    const resume = async (after: number) => {
      const { subscribed, replay } = await follow({ epoch, after_seq: after });
      return [subscribed.recovered, subscribed.head_seq, replay.map((e) => e.seq)];
    };
    expect(await resume(0)).toEqual([false, 8, [5, 8]]);
    expect(await resume(3)).toEqual([false, 8, [5, 8]]);
    expect(await resume(4)).toEqual([true, 8, [5, 8]]);
    expect(await resume(7)).toEqual([true, 8, [8]]);
    expect(await resume(8)).toEqual([true, 8, []]);
    expect(await resume(9)).toEqual([false, 8, []]);
  });

  it('keeps a chat only as far back as --history-max-age, by the one retention rule (replay-window.ts)', async () => {
    let clock = 1_000_000;
    const { chat, client, epoch, follow } = await setUp({ historyMaxAgeSec: 60 }, () => clock);
    await exchange(client, chat, 'one', 'm-1');
    clock += 120_000;
    // Entries 1 and 4 (the first exchange) are now two minutes old: the next write lets them go.
    const second = await exchange(client, chat, 'two', 'm-2');
    expect(second.end.seq).toBe(8);
    const resume = async (after: number) => {
      const { subscribed, replay } = await follow({ epoch, after_seq: after });
      return [subscribed.recovered, replay.map((e) => e.seq)];
    };
    expect(await resume(0)).toEqual([false, [5, 8]]);
    expect(await resume(4)).toEqual([true, [5, 8]]);
    // With no write since, a resume applies the rule too: past the age the newest goes as well.
    clock += 120_000;
    expect(await resume(4)).toEqual([false, []]);
    expect(await resume(8)).toEqual([true, []]);
  });

  it('replays a finished turn as one whole message, also to a client that left in the middle of it', async () => {
    const { chat, client, epoch, follow } = await setUp();
    const { ack, start, end } = await exchange(client, chat, 'full', 'm-1');
    const { replay } = await follow();
    const { messages, others } = replayedMessages(replay);
    expect(others).toEqual([]);
    expect(messages.map((m) => [m.role, m.id])).toEqual([
      ['user', ack.message_id],
      ['assistant', start.message_id],
    ]);
    expect(messages[1]).toEqual({
      id: start.message_id,
      role: 'assistant',
      turn_id: start.turn_id,
      reply_to: ack.message_id,
      created_at: expect.any(Number),
      text: 'Hello world',
      reasoning: 'thinking',
      tools: [{ call_id: 'c1', name: 'add', arguments: '{"a":1}', output: 'out', status: 'done', result: '2' }],
      status: 'done',
    });
    expect(replay.at(-1)?.seq).toBe(end.seq);
    const midway = await follow({ epoch, after_seq: start.seq + 1 });
    expect(midway.subscribed.recovered).toBe(true);
    expect(midway.replay).toEqual([replay.at(-1)]);
  });

  it('records an edit-and-resend as a version of the edited message, with its own reply (issue 15 item 3)', async () => {
    const { chat, client, follow } = await setUp();
    await exchange(client, chat, 'first', 'm-1');
    const edit = {
      type: 'send' as const,
      chat_id: chat,
      client_msg_id: 'm-2',
      text: 'first, edited',
      version_of: 'm-1',
    };
    const { ack, start } = await exchange(client, chat, edit.text, 'm-2', edit);
    const { messages } = replayedMessages((await follow()).replay);
    expect(messages.map((m) => [m.id, m.version_of, m.reply_to])).toEqual([
      ['m-1', undefined, undefined],
      [expect.any(String), undefined, 'm-1'],
      [ack.message_id, 'm-1', undefined],
      [start.message_id, undefined, 'm-2'],
    ]);
  });

  it('shows a tool still running when its turn ends as failed after compaction (done or stopped)', async () => {
    const { chat, client, follow } = await setUp();
    const done = await exchange(client, chat, 'tool', 'm-1');
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'm-2', text: 'stall' });
    const stalled = await client.waitType('tool_call', (t) => t.turn_id !== done.start.turn_id);
    client.send({ type: 'stop', chat_id: chat, turn_id: stalled.turn_id });
    await client.waitType('turn_end', (t) => t.turn_id === stalled.turn_id);
    const { replay } = await follow();
    const replies = replayedMessages(replay).messages.filter((m) => m.role === 'assistant');
    expect(replies.map((m) => [m.status, m.tools?.map((t) => [t.output, t.status])])).toEqual([
      ['done', [['half', 'error']]],
      ['stopped', [['', 'error']]],
    ]);
  });

  it('refuses bad requests with the same typed errors and stays usable', async () => {
    const { chat, client } = await setUp();
    const press = {
      type: 'action',
      chat_id: chat,
      message_id: 'm_nowhere',
      action_id: 'yes',
      client_msg_id: 'p-1',
    } as const;
    expect(await request(client, press, 'p-1')).toEqual({
      type: 'error',
      code: 'unknown_action',
      message: 'that button is no longer available',
      chat_id: chat,
      ref: 'p-1',
    });
    const elsewhere = { type: 'send', chat_id: `${chat}-x`, client_msg_id: 'm-x', text: 'hi' } as const;
    expect(await request(client, elsewhere, 'm-x')).toEqual({
      type: 'error',
      code: 'not_subscribed',
      message: `subscribe to ${chat}-x before sending to it`,
      chat_id: `${chat}-x`,
      ref: 'm-x',
    });
    const { end } = await exchange(client, chat, 'still here', 'm-1');
    expect(end.status).toBe('done');
  });
});
