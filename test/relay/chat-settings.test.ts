/** Per-chat settings on `send`: advertised in `agent.params`, checked by the relay, passed to the agent (both backends). */

import { describe, expect, it } from 'vitest';
import { Transcript } from '../helpers/transcript.ts';
import { follow, type TestClient } from '../helpers/client.ts';
import type { TurnSettings } from '../../shared/index.ts';
import { BACKEND_NAMES, demoRelaysOnBothBackends } from '../helpers/both-backends.ts';

const relayOf = demoRelaysOnBothBackends();

/** Sends `/settings` with `settings` and returns the demo agent's reply text. */
async function echo(client: TestClient, chat: string, id: string, settings: TurnSettings): Promise<string> {
  const from = client.frames.length;
  client.send({ type: 'send', chat_id: chat, client_msg_id: id, text: '/settings', settings });
  const ack = await client.waitType('ack', (a) => a.client_msg_id === id, from);
  const start = await client.waitType('turn_start', (t) => t.reply_to === ack.message_id, from);
  await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
  const transcript = new Transcript();
  for (const e of client.events(chat)) transcript.apply(e);
  return transcript.messages.find((m) => m.id === start.message_id)?.text ?? '';
}

describe.each(BACKEND_NAMES)('chat settings (%s backend)', (backend) => {
  it('advertises the params in `ready` and hands model, system prompt and params to the agent', async () => {
    const relay = relayOf(backend);
    const chat = `settings-${backend}`;
    const { client } = await follow(relay.wsBase, chat);
    const ready = client.frames.find((f) => f.type === 'ready');
    expect(ready?.type === 'ready' && ready.agent.params?.map((p) => p.name)).toEqual([
      'temperature',
      'max_tokens',
      'style',
    ]);
    const text = await echo(client, chat, 's-1', {
      model: 'demo-thorough',
      system: 'Answer like a pirate.',
      params: { temperature: 0.2, style: 'playful' },
    });
    expect(text).toContain('Model: demo-thorough');
    expect(text).toContain('System prompt: "Answer like a pirate."');
    expect(text).toContain('`temperature`: 0.2');
    expect(text).toContain('`style`: "playful"');
    client.close();
  });

  it.each([
    ['a value out of range', { params: { temperature: 5 } }, 'temperature'],
    ['an unknown parameter', { params: { nope: 1 } }, 'nope'],
    ['a fraction for an integer', { params: { max_tokens: 1.5 } }, 'max_tokens'],
    ['an option not offered', { params: { style: 'grim' } }, 'style'],
    ['a model not offered', { model: 'gpt-9' }, 'model'],
    ['a system prompt that is not text', { system: 42 }, 'system'],
  ])('refuses %s with invalid_field and the connection stays usable', async (_what, settings, field) => {
    const relay = relayOf(backend);
    const chat = `settings-bad-${backend}-${field}`;
    const { client } = await follow(relay.wsBase, chat);
    const from = client.frames.length;
    // Raw JSON: the bad values are not well-typed frames.
    client.raw(
      JSON.stringify({ type: 'send', chat_id: chat, client_msg_id: `bad-${field}`, text: '/settings', settings }),
    );
    const error = await client.waitType('error', (e) => e.ref === `bad-${field}` || e.code === 'invalid_field', from);
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain(field);
    // Nothing ran, and the same socket still works.
    expect(client.frames.slice(from).some((f) => f.type === 'turn_start')).toBe(false);
    const text = await echo(client, chat, `ok-${field}`, { params: { temperature: 1 } });
    expect(text).toContain('`temperature`: 1');
    client.close();
  });
});
