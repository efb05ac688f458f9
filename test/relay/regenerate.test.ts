/**
 * Versions the relay records (both backends): `send` with `regenerate` answers the question again without posting it
 * and the new reply is a version of the old one, which stays; a `delete` frame withdraws a message for everyone.
 */

import { describe, expect, it } from 'vitest';
import { Transcript } from '../helpers/transcript.ts';
import { converse, follow, type TestClient } from '../helpers/client.ts';
import { BACKEND_NAMES, demoRelaysOnBothBackends } from '../helpers/both-backends.ts';
import type { TestRelay } from '../helpers/relay.ts';

const relayOf = demoRelaysOnBothBackends();

async function subscribed(relay: TestRelay, chatId: string): Promise<TestClient> {
  return (await follow(relay.wsBase, chatId)).client;
}

function transcriptOf(client: TestClient, chat: string): Transcript {
  const t = new Transcript();
  for (const e of client.events(chat)) t.apply(e);
  return t;
}

/** Regenerates `replaces` (a reply to `asked`) and waits for the new reply to end; returns its id. */
async function regenerate(
  client: TestClient,
  chat: string,
  asked: { id: string; text: string },
  replaces: string,
  ref: string,
) {
  const from = client.frames.length;
  client.send({
    type: 'send',
    chat_id: chat,
    client_msg_id: ref,
    text: asked.text,
    regenerate: { message_id: asked.id, replaces },
  });
  const ack = await client.waitType('ack', (a) => a.client_msg_id === ref, from);
  const start = await client.waitType('turn_start', (t) => t.reply_to === asked.id, from);
  await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
  return { ack, start, from };
}

describe.each(BACKEND_NAMES)('versions (%s backend)', (backend) => {
  it('regenerating keeps the old reply: the new one is a version of its group, and a replay holds every version once', async () => {
    const relay = relayOf(backend);
    const chat = `regen-${backend}`;
    const client = await subscribed(relay, chat);
    await converse(client, chat, 'say something', 'q-1');
    const [asked, old] = transcriptOf(client, chat).messages;
    if (!asked || !old) throw new Error('no conversation');

    const second = await regenerate(client, chat, asked, old.id, 'q-1-again');
    expect(second.ack.message_id).toBe(asked.id);
    expect(second.start.version_of).toBe(old.id);
    // Nothing was posted: the user's message is not sent out again, and nothing was withdrawn.
    const after = client.frames.slice(second.from);
    expect(after.filter((f) => f.type === 'message' || f.type === 'retract')).toEqual([]);
    expect(after.filter((f) => f.type === 'regenerate')).toMatchObject([{ message_id: asked.id, replaces: old.id }]);

    // Regenerating the second version names the group's first, not the second.
    const third = await regenerate(client, chat, asked, second.start.message_id, 'q-1-third');
    expect(third.start.version_of).toBe(old.id);

    const late = await subscribed(relay, chat);
    await late.waitType('message', (m) => m.message.id === third.start.message_id);
    const replayed = transcriptOf(late, chat);
    expect(replayed.messages.map((m) => [m.role, m.id, m.reply_to, m.version_of])).toEqual([
      ['user', asked.id, undefined, undefined],
      ['assistant', old.id, asked.id, undefined],
      ['assistant', second.start.message_id, asked.id, old.id],
      ['assistant', third.start.message_id, asked.id, old.id],
    ]);
    expect(replayed.get(asked.id)?.created_at).toBe(asked.created_at);
    client.close();
    late.close();
  });

  it('an edit-and-resend is a version of the edited message, and a message after a switched version names what it follows', async () => {
    const relay = relayOf(backend);
    const chat = `edit-${backend}`;
    const client = await subscribed(relay, chat);
    await converse(client, chat, 'first try', 'e-1');
    const [q1, r1] = transcriptOf(client, chat).messages;
    if (!q1 || !r1) throw new Error('no conversation');
    const from = client.frames.length;
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'e-2', text: 'second try', version_of: q1.id });
    const posted = await client.waitType('message', (m) => m.message.id === 'e-2', from);
    expect(posted.message.version_of).toBe(q1.id);
    await client.waitType('turn_end', () => true, from);
    const on = client.frames.length;
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'e-3', text: 'go on', reply_to: r1.id });
    const next = await client.waitType('message', (m) => m.message.id === 'e-3', on);
    expect(next.message.reply_to).toBe(r1.id);
    await client.waitType('turn_end', () => true, on);
    client.close();
  });

  it('delete withdraws a message on every subscriber and in the replay, once per client_msg_id', async () => {
    const relay = relayOf(backend);
    const chat = `delete-${backend}`;
    const client = await subscribed(relay, chat);
    const other = await subscribed(relay, chat);
    await converse(client, chat, 'to be deleted', 'd-1');
    const [asked, reply] = transcriptOf(client, chat).messages;
    if (!asked || !reply) throw new Error('no conversation');

    const from = client.frames.length;
    const seen = other.frames.length;
    client.send({ type: 'delete', chat_id: chat, client_msg_id: 'del-1', message_id: reply.id });
    const ack = await client.waitType('ack', (a) => a.client_msg_id === 'del-1', from);
    await other.waitType('retract', (r) => r.message_id === reply.id, seen);
    // A resend (the frame's ack was lost) gets the first ack and logs nothing more.
    const afterAck = client.frames.length;
    client.send({ type: 'delete', chat_id: chat, client_msg_id: 'del-1', message_id: reply.id });
    const again = await client.waitType('ack', (a) => a.client_msg_id === 'del-1', afterAck);
    expect(again.seq).toBe(ack.seq);
    // A message the chat does not hold (another device deleted it first) is acked too.
    client.send({ type: 'delete', chat_id: chat, client_msg_id: 'del-2', message_id: 'm-never' });
    await client.waitType('ack', (a) => a.client_msg_id === 'del-2', from);

    const late = await subscribed(relay, chat);
    await late.waitType('retract', (r) => r.message_id === reply.id);
    expect(transcriptOf(late, chat).messages.map((m) => m.id)).toEqual([asked.id]);
    expect(client.frames.slice(from).filter((f) => f.type === 'retract')).toHaveLength(2);
    client.close();
    other.close();
    late.close();
  });

  it('delete before subscribing is refused with not_subscribed, and the connection stays usable', async () => {
    const relay = relayOf(backend);
    const { client } = await follow(relay.wsBase, `elsewhere-${backend}`);
    client.send({ type: 'delete', chat_id: `unfollowed-${backend}`, client_msg_id: 'del-x', message_id: 'm-1' });
    const err = await client.waitType('error', (e) => e.ref === 'del-x');
    expect(err.code).toBe('not_subscribed');
    client.send({ type: 'ping', nonce: 'still-here' });
    await client.waitType('pong');
    client.close();
  });
});
