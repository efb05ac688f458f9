/**
 * Versions through the sync (fake relay, real IndexedDB): regenerating keeps the old reply, the switched branch is
 * what the agent is given as context and what a new message follows, an edit is a version, and a delete waits out
 * its undo window before it is sent.
 */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { queuedMessages } from '../test-support/db-writes.ts';
import { answerSubscribe, connected, setup, until, type FakeSocket } from '../test-support/fake-relay.ts';
import type { ChatStore } from './chat-store.ts';

const CHAT = 'c-versions';

/** The relay's log of a chat with one question and two versions of its reply (r1, then r1b). */
function pushTwoVersions(socket: FakeSocket): void {
  const at = { chat_id: CHAT, epoch: 'e1' };
  socket.push({
    ...at,
    type: 'message',
    seq: 1,
    message: { id: 'q1', role: 'user', text: 'question', created_at: 1 },
  });
  const reply = (seq: number, id: string, text: string, version?: string) => {
    const turn = { ...at, turn_id: `t-${id}`, message_id: id };
    socket.push({
      ...turn,
      type: 'turn_start',
      seq,
      reply_to: 'q1',
      created_at: seq,
      ...(version ? { version_of: version } : {}),
    });
    socket.push({ ...turn, type: 'delta', seq: seq + 1, text });
    socket.push({ ...turn, type: 'turn_end', seq: seq + 2, status: 'done' });
  };
  reply(2, 'r1', 'first answer');
  socket.push({ ...at, type: 'regenerate', seq: 5, message_id: 'q1', replaces: 'r1' });
  reply(6, 'r1b', 'second answer', 'r1');
}

async function opened() {
  const env = await setup(true);
  const socket = await connected(env.relay);
  void env.sync.subscribe(CHAT);
  await answerSubscribe(socket, CHAT);
  pushTwoVersions(socket);
  await until(() => env.store.chat(CHAT).messages.length === 3, 'the chat');
  await until(() => env.store.chat(CHAT).messages.every((m) => m.state !== 'streaming'), 'replies done');
  return { ...env, socket };
}

const shown = (store: ChatStore) => store.chat(CHAT).branch.map((m) => m.id);

describe('versions through the sync', () => {
  it('shows the newest version with its place, and a choice shows the other', async () => {
    const { store, sync } = await opened();
    const cache = store.chat(CHAT);
    expect(shown(store)).to.deep.equal(['q1', 'r1b']);
    expect(cache.versions.get('r1b')).to.deep.include({ index: 2, count: 2 });
    cache.chooseVersion('r1', 'r1');
    expect(shown(store)).to.deep.equal(['q1', 'r1']);
    sync.connection.stop();
  });

  it('regenerating keeps the old reply here, and the agent is given the branch it continues', async () => {
    const { store, sync, socket } = await opened();
    const cache = store.chat(CHAT);
    cache.chooseVersion('r1', 'r1');
    const r1 = cache.get('r1');
    if (!r1) throw new Error('no r1');
    await sync.regenerate(r1);
    await until(() => socket.of('send').length === 1, 'the regenerate');
    expect(socket.of('send')[0]).to.deep.include({ regenerate: { message_id: 'q1', replaces: 'r1' } });
    // Nothing was deleted: both versions stay on this device.
    expect(cache.messages.map((m) => m.id)).to.deep.equal(['q1', 'r1', 'r1b']);

    // Back on the first version, a new message follows it and its context is that branch, not the newest reply.
    cache.chooseVersion('r1', 'r1');
    await sync.send(CHAT, 'go on from the first');
    await until(() => socket.of('send').length === 2, 'the send');
    const frame = socket.of('send')[1];
    expect(frame?.reply_to).to.equal('r1');
    expect(frame?.context?.map((c) => c.text)).to.deep.equal(['question', 'first answer']);
    expect(shown(store).slice(0, 2)).to.deep.equal(['q1', 'r1']);
    sync.connection.stop();
  });

  it('an edit of a sent message is a version of its group', async () => {
    const { store, sync, socket } = await opened();
    await sync.send(CHAT, 'question, better put', [], '', { versionOf: 'q1' });
    await until(() => socket.of('send').length === 1, 'the edit');
    expect(socket.of('send')[0]).to.deep.include({ version_of: 'q1', text: 'question, better put' });
    expect(socket.of('send')[0]?.reply_to).to.equal(undefined);
    const edited = store.chat(CHAT).branch.map((m) => m.text);
    expect(edited).to.deep.equal(['question, better put']);
    sync.connection.stop();
  });

  it('a delete leaves after the undo window, and Undo takes it back out of the queue', async () => {
    const { store, sync, socket, db } = await opened();
    const cache = store.chat(CHAT);
    const r1 = cache.get('r1');
    const r1b = cache.get('r1b');
    if (!r1 || !r1b) throw new Error('no replies');
    const undo = await sync.discard(r1);
    expect(cache.get('r1')).to.equal(undefined);
    const queued = (await queuedMessages(db)).filter((e) => e.kind === 'delete');
    expect(queued.map((e) => e.kind === 'delete' && e.message_id)).to.deep.equal(['r1']);
    // Not sent within the window (another device keeps it until Undo can no longer take it back).
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.of('delete')).to.deep.equal([]);
    await undo?.();
    expect(cache.get('r1')?.text).to.equal('first answer');
    expect((await queuedMessages(db)).filter((e) => e.kind === 'delete')).to.deep.equal([]);

    // Once due, it is sent (the entry's time moved back, as if the window had passed).
    await sync.discard(r1b);
    const entry = (await queuedMessages(db)).find((e) => e.kind === 'delete');
    if (entry?.kind !== 'delete') throw new Error('no queued delete');
    await until(() => sync.outbox.entries.some((e) => e.client_msg_id === entry.client_msg_id), 'queued');
    for (const e of sync.outbox.entries) if (e.kind === 'delete') e.not_before = Date.now() - 1;
    sync.outbox.flush(CHAT);
    await until(() => socket.of('delete').length === 1, 'the delete frame');
    expect(socket.of('delete')[0]).to.deep.include({ chat_id: CHAT, message_id: 'r1b' });
    sync.connection.stop();
  });
});
