/** `send` with `regenerate`: the question is not posted again, the old reply is withdrawn for everyone (both backends). */

import { describe, expect, it } from 'vitest';
import { Transcript } from '../helpers/transcript.ts';
import { converse, follow, type TestClient } from '../helpers/client.ts';
import { BACKEND_NAMES, demoRelaysOnBothBackends } from '../helpers/both-backends.ts';
import type { TestRelay } from '../helpers/relay.ts';

const relayOf = demoRelaysOnBothBackends();

async function subscribed(relay: TestRelay, chatId: string): Promise<TestClient> {
  return (await follow(relay.wsBase, chatId)).client;
}

describe.each(BACKEND_NAMES)('regenerate (%s backend)', (backend) => {
  it('answers the same message again, withdraws the old reply, and a replay holds the question once', async () => {
    const relay = relayOf(backend);
    const chat = `regen-${backend}`;
    const client = await subscribed(relay, chat);
    await converse(client, chat, 'say something', 'q-1');
    const first = new Transcript();
    for (const e of client.events(chat)) first.apply(e);
    const [asked, old] = first.messages;
    if (!asked || !old) throw new Error('no conversation');

    const from = client.frames.length;
    client.send({
      type: 'send',
      chat_id: chat,
      client_msg_id: 'q-1-again',
      text: asked.text,
      regenerate: { message_id: asked.id, replaces: old.id },
    });
    const ack = await client.waitType('ack', (a) => a.client_msg_id === 'q-1-again', from);
    expect(ack.message_id).toBe(asked.id);
    const start = await client.waitType('turn_start', (t) => t.reply_to === asked.id, from);
    await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
    // Nothing was posted: the user's message is not sent out again.
    expect(client.frames.slice(from).filter((f) => f.type === 'message')).toEqual([]);

    const late = await subscribed(relay, chat);
    await late.waitType('message', (m) => m.message.id === start.message_id);
    const replayed = new Transcript();
    for (const e of late.events(chat)) replayed.apply(e);
    expect(replayed.messages.map((m) => [m.role, m.id])).toEqual([
      ['user', asked.id],
      ['assistant', start.message_id],
    ]);
    expect(replayed.get(asked.id)?.created_at).toBe(asked.created_at);
    client.close();
    late.close();
  });
});
