/** Imported chats shared through the relay (`import` frames), the same on the in-process and the Redis backend. */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IMPORT_BATCH, type ChatMessage, type ImportedEvent } from '../../shared/index.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { Transcript } from '../helpers/transcript.ts';
import { BACKENDS, contractAgent, exchange, follower, request, stopBackends } from './backends.ts';

const open: { relays: TestRelay[]; clients: TestClient[] } = { relays: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const r of open.relays.splice(0)) await r.close();
});
afterAll(stopBackends);

const old = Date.UTC(2025, 0, 2, 3, 4, 5);
const file: ChatMessage[] = [
  { id: 'imp-u1', role: 'user', text: 'from the file', created_at: old },
  {
    id: 'imp-a1',
    role: 'assistant',
    text: 'an answer **kept**',
    created_at: old + 1,
    turn_id: 'old-turn',
    status: 'done',
    attachments: [{ id: 'f1', name: 'dot.png', mime: 'image/png', size: 3, data: 'AQID' }],
  },
];

describe.each(Object.entries(BACKENDS))('import contract (%s)', (name, startBackend) => {
  let chats = 0;
  async function setUp() {
    const relay = await startBackend({}, contractAgent());
    open.relays.push(relay);
    const chat = `import-${name}-${++chats}-${Date.now()}`;
    const { client } = await follower(relay, chat);
    open.clients.push(client);
    const follow = async () => {
      const f = await follower(relay, chat);
      open.clients.push(f.client);
      return f;
    };
    return { chat, client, follow };
  }

  it('logs an import once per client_msg_id, fans it out and replays it to a fresh device', async () => {
    const { chat, client, follow } = await setUp();
    const live = await follow();
    const frame = { type: 'import', chat_id: chat, client_msg_id: 'imp-1', messages: file } as const;
    const ack = await request(client, frame, 'imp-1');
    expect(ack).toMatchObject({ type: 'ack', chat_id: chat, client_msg_id: 'imp-1', message_id: 'imp-1' });
    // Sent again (a device that lost the ack): the first ack, nothing logged twice.
    expect(await request(client, frame, 'imp-1')).toEqual(ack);
    const seen = await live.client.waitType('imported', (e) => e.chat_id === chat);
    expect(seen.messages).toEqual(file);

    const fresh = await follow();
    const imported = fresh.replay.filter((e): e is ImportedEvent => e.type === 'imported');
    expect(imported).toHaveLength(1);
    expect(imported[0]?.messages).toEqual(file);
    expect(live.client.events(chat).filter((e) => e.type === 'imported')).toHaveLength(1);
  });

  it('adds only what the chat lacks: a message the relay logged stays as it is', async () => {
    const { chat, client, follow } = await setUp();
    await exchange(client, chat, 'hello', 'm-1');
    const stale: ChatMessage = { id: 'm-1', role: 'user', text: 'an older text for m-1', created_at: old };
    await request(
      client,
      { type: 'import', chat_id: chat, client_msg_id: 'imp-2', messages: [stale, ...file] },
      'imp-2',
    );
    const fresh = await follow();
    const transcript = new Transcript();
    for (const e of fresh.replay) transcript.apply(e);
    const byId = new Map(transcript.messages.map((m) => [m.id, m]));
    expect(byId.get('m-1')?.text).toBe('hello');
    expect(byId.get('imp-u1')?.text).toBe('from the file');
    expect(byId.get('imp-a1')?.attachments?.[0]?.data).toBe('AQID');
  });

  it('refuses a bad import with a typed error, logs nothing of it, and stays usable', async () => {
    const { chat, client, follow } = await setUp();
    const bad = async (messages: unknown, ref: string, chatId = chat) =>
      request(client, { type: 'import', chat_id: chatId, client_msg_id: ref, messages } as never, ref);
    const unfinished = { id: 'x', role: 'assistant', text: 'half', created_at: old };
    expect(await bad([unfinished], 'b-1')).toMatchObject({ type: 'error', code: 'invalid_field' });
    expect(await bad([file[0], file[0]], 'b-2')).toMatchObject({
      code: 'invalid_field',
      message: expect.stringContaining('repeats the id'),
    });
    expect(await bad([], 'b-3')).toMatchObject({ code: 'invalid_field' });
    const many = Array.from({ length: IMPORT_BATCH + 1 }, (_, i) => ({ ...file[0], id: `n-${i}` }));
    expect(await bad(many, 'b-4')).toMatchObject({ code: 'invalid_field' });
    expect(await bad([{ ...file[0], role: 'system' }], 'b-5')).toMatchObject({ code: 'invalid_field' });
    // Not followed, and the workspace channel: refused for where they go.
    expect(await bad(file, 'b-6', 'someone-else')).toMatchObject({ code: 'not_subscribed' });
    // Still usable, and none of the refused frames reached the history.
    await exchange(client, chat, 'still here', 'm-after');
    const fresh = await follow();
    expect(fresh.replay.filter((e) => e.type === 'imported')).toHaveLength(0);
  });
});
