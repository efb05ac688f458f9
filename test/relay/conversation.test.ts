/** A real relay on loopback with the demo agent: conversations, fan-out, resume, idempotency, stop, actions. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ChatEvent } from '../../shared/index.ts';
import { Transcript } from '../helpers/transcript.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

let relay: TestRelay;
beforeAll(async () => {
  relay = await startRelay();
});
afterAll(() => relay.close());

function transcriptOf(events: ChatEvent[]): Transcript {
  const t = new Transcript();
  for (const e of events) t.apply(e);
  return t;
}

async function subscribed(chatId: string, opts: { epoch?: string; after_seq?: number } = {}) {
  const client = await TestClient.connect(relay.wsBase);
  client.send({ type: 'subscribe', chat_id: chatId, ...opts });
  const sub = await client.waitType('subscribed', (s) => s.chat_id === chatId);
  return { client, sub };
}

describe('a demo conversation', () => {
  it('greets with ready, then streams a markdown reply to a message', async () => {
    const { client } = await subscribed('conv-1');
    const ready = client.frames[0];
    expect(ready).toMatchObject({
      type: 'ready',
      protocol: PROTOCOL_VERSION,
      agent: { name: 'Parley demo', online: true },
    });
    const end = await converse(client, 'conv-1', 'hello there, relay', 'cm-1');
    expect(end.status).toBe('done');
    const t = transcriptOf(client.events('conv-1'));
    const [user, reply] = t.messages;
    expect(user).toMatchObject({ role: 'user', text: 'hello there, relay', id: 'cm-1' });
    expect(reply?.role).toBe('assistant');
    expect(reply?.text).toContain('### You said');
    expect(reply?.text).toContain('| words | 3 |');
    expect(reply?.text).toContain('```ts');
    const deltas = client.events('conv-1').filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(20);
    expect(client.invalid).toEqual([]);
    client.close();
  });

  it('numbers every chat event with a gap-free seq and the relay epoch', async () => {
    const { client } = await subscribed('conv-seq');
    await converse(client, 'conv-seq', 'one', 'a');
    await converse(client, 'conv-seq', 'two', 'b');
    const events = client.events('conv-seq');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.epoch))).toEqual(new Set([relay.relay.epoch]));
    client.close();
  });

  it('shows reasoning, a tool call with streamed output, files, buttons, typing and edits', async () => {
    const { client } = await subscribed('conv-kinds');
    for (const [i, cmd] of ['/reasoning', '/tool', '/image', '/file', '/typing', '/buttons', '/edit'].entries()) {
      expect((await converse(client, 'conv-kinds', cmd, `k-${i}`)).status).toBe('done');
    }
    const events = client.events('conv-kinds');
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'reasoning_delta',
      'tool_call',
      'tool_output',
      'tool_result',
      'file',
      'typing',
      'buttons',
      'message_edit',
    ]) {
      expect(types, type).toContain(type);
    }
    const t = transcriptOf(events);
    const replies = t.messages.filter((m) => m.role === 'assistant');
    expect(replies[0]?.reasoning).toContain('think out loud');
    expect(replies[1]?.tools?.[0]).toMatchObject({ name: 'search_docs', status: 'done', result: '3 documents' });
    expect(replies[1]?.tools?.[0]?.output.split('\n').length).toBe(5);
    const image = replies[2]?.attachments?.[0];
    expect(image?.mime).toBe('image/png');
    expect(
      Buffer.from(image?.data ?? '', 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(replies[3]?.attachments?.[0]).toMatchObject({ name: 'notes.md', mime: 'text/markdown' });
    expect(replies[5]?.buttons?.flat().map((b) => b.label)).toEqual(['Yes', 'No', 'Ask me later']);
    // /edit edited the reply before it (the buttons reply).
    expect(replies[5]?.text).toContain('(edited by the demo agent)');
    expect(replies[5]?.edited_at).toBeGreaterThan(0);
    client.close();
  });

  it('answers a button press with an action turn, marks it used for everyone, and refuses a second press', async () => {
    const { client } = await subscribed('conv-btn');
    const other = (await subscribed('conv-btn')).client;
    await converse(client, 'conv-btn', '/buttons', 'b-1');
    const withButtons = transcriptOf(client.events('conv-btn')).messages[1];
    expect(withButtons?.buttons).toBeDefined();
    const from = client.frames.length;
    client.send({
      type: 'action',
      chat_id: 'conv-btn',
      client_msg_id: 'press-1',
      message_id: withButtons?.id ?? '',
      action_id: 'no',
    });
    const ack = await client.waitType('ack', (a) => a.client_msg_id === 'press-1', from);
    expect(ack.message_id).toBe(withButtons?.id);
    await client.waitType('turn_end', () => true, from);
    await other.waitType('action_used', (a) => a.action_id === 'no');
    const t = transcriptOf(other.events('conv-btn'));
    expect(t.get(withButtons?.id ?? '')?.used_actions).toEqual(['no']);
    expect(t.messages.at(-1)?.text).toContain('You pressed **No**');
    // The same press resent is acked again, and nothing new happens.
    const before = client.events('conv-btn').length;
    client.send({
      type: 'action',
      chat_id: 'conv-btn',
      client_msg_id: 'press-1',
      message_id: withButtons?.id ?? '',
      action_id: 'no',
    });
    await client.waitFor((fs) =>
      fs.filter((f) => f.type === 'ack' && f.client_msg_id === 'press-1').length === 2 ? true : undefined,
    );
    // A new press of a used button is refused with a typed error.
    other.send({
      type: 'action',
      chat_id: 'conv-btn',
      client_msg_id: 'press-2',
      message_id: withButtons?.id ?? '',
      action_id: 'no',
    });
    const err = await other.waitType('error', (e) => e.ref === 'press-2');
    expect(err.code).toBe('unknown_action');
    await new Promise((r) => setTimeout(r, 100));
    expect(client.events('conv-btn').length).toBe(before);
    client.close();
    other.close();
  });

  it('ends a turn that fails with status error and a message for the user', async () => {
    const { client } = await subscribed('conv-err');
    const end = await converse(client, 'conv-err', '/error', 'e-1');
    expect(end.status).toBe('error');
    expect(end.error).toContain('failed on purpose');
    // The chat stays usable.
    expect((await converse(client, 'conv-err', 'still there?', 'e-2')).status).toBe('done');
    client.close();
  });

  it('answers history from the demo agent with the same message ids', async () => {
    const { client } = await subscribed('conv-hist');
    await converse(client, 'conv-hist', 'remember me', 'h-1');
    client.send({ type: 'history', chat_id: 'conv-hist', request_id: 'r1', limit: 10 });
    const page = await client.waitType('history_result', (h) => h.request_id === 'r1');
    const live = transcriptOf(client.events('conv-hist')).messages;
    expect(page.complete).toBe(true);
    expect(page.messages.map((m) => m.id)).toEqual(live.map((m) => m.id));
    expect(page.messages[1]?.text).toBe(live[1]?.text);
    client.close();
  });
});

describe('agent state', () => {
  it('pushes a change the agent makes to every connected client', async () => {
    const { client } = await subscribed('state-1');
    const other = await TestClient.connect(relay.wsBase);
    expect((await converse(client, 'state-1', '/model demo-thorough', 'st-1')).status).toBe('done');
    const pushed = await other.waitType('agent_state');
    expect(pushed.agent).toMatchObject({ model: 'demo-thorough', models: ['demo-fast', 'demo-thorough'] });
    const fresh = await TestClient.connect(relay.wsBase);
    await fresh.waitType('ready');
    expect(fresh.frames[0]).toMatchObject({ type: 'ready', agent: { model: 'demo-thorough' } });
    await converse(client, 'state-1', '/model demo-fast', 'st-2');
    for (const c of [client, other, fresh]) c.close();
  });
});

describe('fan-out', () => {
  it('gives two subscribers of one chat identical event sequences, including what the other typed', async () => {
    const a = (await subscribed('fan-1')).client;
    const b = (await subscribed('fan-1')).client;
    const outsider = (await subscribed('fan-other')).client;
    await converse(a, 'fan-1', 'from a', 'fa-1');
    await converse(b, 'fan-1', 'from b', 'fb-1');
    await a.waitType('turn_end', (e) => e.seq === b.events('fan-1').at(-1)?.seq);
    expect(a.events('fan-1')).toEqual(b.events('fan-1'));
    const users = transcriptOf(a.events('fan-1')).messages.filter((m) => m.role === 'user');
    expect(users.map((m) => m.text)).toEqual(['from a', 'from b']);
    expect(outsider.events('fan-1')).toEqual([]);
    for (const c of [a, b, outsider]) c.close();
  });
});

describe('resume', () => {
  it('replays exactly the missed events after a disconnect mid-stream; the final text matches an uninterrupted run', async () => {
    const reference = (await subscribed('resume-ref')).client;
    await converse(reference, 'resume-ref', '/long 300', 'r-0');
    const expected = transcriptOf(reference.events('resume-ref')).messages[1]?.text;
    reference.close();

    const first = (await subscribed('resume-1')).client;
    first.send({ type: 'send', chat_id: 'resume-1', client_msg_id: 'r-1', text: '/long 300' });
    await first.waitFor((fs) => (fs.filter((f) => f.type === 'delta').length >= 40 ? true : undefined), '40 deltas');
    first.ws.terminate();
    const seen = first.events('resume-1');
    const lastSeq = seen.at(-1)?.seq ?? 0;

    await new Promise((r) => setTimeout(r, 50));
    const { client: second, sub } = await subscribed('resume-1', { epoch: relay.relay.epoch, after_seq: lastSeq });
    expect(sub.recovered).toBe(true);
    await second.waitType('turn_end', () => true);
    const resumed = second.events('resume-1');
    // Live continuation after a mid-turn resume is gap-free from the point the client held.
    expect(resumed[0]?.seq).toBe(lastSeq + 1);
    expect(resumed.map((e) => e.seq)).toEqual(resumed.map((_, i) => lastSeq + 1 + i));
    const t = transcriptOf([...seen, ...resumed]);
    expect(t.messages[1]?.text).toBe(expected);
    second.close();
  });

  it('replays a finished turn as one compacted message', async () => {
    const { client } = await subscribed('resume-compact');
    await converse(client, 'resume-compact', '/long 500', 'rc-1');
    const live = transcriptOf(client.events('resume-compact')).messages;
    client.close();
    const { client: later, sub } = await subscribed('resume-compact', { epoch: relay.relay.epoch, after_seq: 0 });
    expect(sub.recovered).toBe(true);
    await later.waitFor((fs) => (fs.filter((f) => f.type === 'message').length === 2 ? true : undefined));
    const replay = later.events('resume-compact');
    expect(replay.map((e) => e.type)).toEqual(['message', 'message']);
    expect(transcriptOf(replay).messages).toEqual(live.map((m) => ({ ...m, created_at: expect.any(Number) })));
    later.close();
  });

  it('says recovered: false for another epoch and replays what it holds', async () => {
    const { client } = await subscribed('resume-epoch');
    await converse(client, 'resume-epoch', 'hi', 're-1');
    client.close();
    const { client: later, sub } = await subscribed('resume-epoch', { epoch: 'old-epoch', after_seq: 7 });
    expect(sub).toMatchObject({ recovered: false, epoch: relay.relay.epoch });
    await later.waitFor((fs) => (fs.filter((f) => f.type === 'message').length === 2 ? true : undefined));
    later.close();
  });

  it('says recovered: false when a client claims a seq beyond the head', async () => {
    const { client, sub } = await subscribed('resume-future', { epoch: relay.relay.epoch, after_seq: 99 });
    expect(sub.recovered).toBe(false);
    client.close();
  });
});

describe('idempotent send', () => {
  it('acks a resend with the same ack and never forwards it twice, also from another connection', async () => {
    const { client } = await subscribed('idem-1');
    await converse(client, 'idem-1', 'only once', 'same-id');
    const firstAck = client.frames.find((f) => f.type === 'ack');
    client.send({ type: 'send', chat_id: 'idem-1', client_msg_id: 'same-id', text: 'only once' });
    await client.waitFor((fs) => (fs.filter((f) => f.type === 'ack').length === 2 ? true : undefined));
    const acks = client.frames.filter((f) => f.type === 'ack');
    expect(acks[1]).toEqual(firstAck);
    client.close();
    const { client: again } = await subscribed('idem-1');
    again.send({ type: 'send', chat_id: 'idem-1', client_msg_id: 'same-id', text: 'only once' });
    expect(await again.waitType('ack')).toEqual(firstAck);
    await new Promise((r) => setTimeout(r, 150));
    const users = transcriptOf(again.events('idem-1')).messages.filter((m) => m.role === 'user');
    expect(users).toHaveLength(1);
    expect(again.events('idem-1').filter((e) => e.type === 'turn_start')).toHaveLength(0);
    again.close();
  });
});

describe('stop', () => {
  it('cancels the running turn with status stopped, keeps what was streamed, and runs the next turn', async () => {
    const { client } = await subscribed('stop-1');
    client.send({ type: 'send', chat_id: 'stop-1', client_msg_id: 's-1', text: '/slow' });
    const start = await client.waitType('turn_start');
    await client.waitType('delta');
    client.send({ type: 'stop', chat_id: 'stop-1', turn_id: start.turn_id });
    const end = await client.waitType('turn_end');
    expect(end.status).toBe('stopped');
    const partial = transcriptOf(client.events('stop-1')).messages[1];
    expect(partial?.text.length).toBeGreaterThan(0);
    expect(partial?.status).toBe('stopped');
    client.send({ type: 'stop', chat_id: 'stop-1' });
    expect((await client.waitType('error')).code).toBe('no_active_turn');
    expect((await converse(client, 'stop-1', 'next', 's-2')).status).toBe('done');
    client.close();
  });

  it('queues turns per chat and runs them in order', async () => {
    const { client } = await subscribed('queue-1');
    for (const i of [1, 2, 3])
      client.send({ type: 'send', chat_id: 'queue-1', client_msg_id: `q-${i}`, text: `message ${i}` });
    await client.waitFor((fs) => (fs.filter((f) => f.type === 'turn_end').length === 3 ? true : undefined), '3 turns');
    const t = transcriptOf(client.events('queue-1'));
    const starts = client.events('queue-1').filter((e) => e.type === 'turn_start');
    const users = t.messages.filter((m) => m.role === 'user');
    expect(starts.map((s) => s.type === 'turn_start' && s.reply_to)).toEqual(users.map((u) => u.id));
    client.close();
  });
});
