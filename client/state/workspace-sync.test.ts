/** The workspace on one device against a relay: what other devices wrote arrives, what this one writes leaves (offline too), deletions hold. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { FIELD, formatHlc, WORKSPACE_CHAT_ID, type WorkspaceChange } from '../../shared/index.ts';
import { putMessages, putSession, queuedMessages } from '../test-support/db-writes.ts';
import { answerSubscribe, connected, setup, until, type FakeSocket } from '../test-support/fake-relay.ts';

const stamp = (wall: number, node = 'other') => formatHlc({ wall, counter: 0, node });
let seq = 0;
function push(socket: FakeSocket, changes: WorkspaceChange[]): void {
  socket.push({ type: 'workspace', chat_id: WORKSPACE_CHAT_ID, seq: ++seq, epoch: 'e1', changes });
}
const writes = (socket: FakeSocket) => socket.of('workspace_write').flatMap((w) => w.changes);

/** A device connected to a relay that keeps a workspace, subscribed to its channel. */
async function online(options: Parameters<typeof setup>[0] = true) {
  const ctx = await setup(options);
  const socket = await connected(ctx.relay, 'e1', undefined, true);
  await answerSubscribe(socket, WORKSPACE_CHAT_ID);
  seq = 0;
  return { ...ctx, socket };
}

describe('Workspace sync', () => {
  it('shows the chats other devices wrote, with no link, and follows them', async () => {
    const { socket, store, sync } = await online();
    push(socket, [
      { chat: 'c-far', field: FIELD.created, value: 1_000, at: stamp(1_000) },
      { chat: 'c-far', field: FIELD.title, value: 'Written on the phone', at: stamp(1_001) },
      { chat: 'c-far', field: FIELD.pinned, value: true, at: stamp(1_002) },
    ]);
    await until(() => store.sessions.some((s) => s.id === 'c-far'), 'the chat in the list');
    expect(store.sessions.map((s) => [s.id, s.title, s.pinned])).to.deep.equal([
      ['c-far', 'Written on the phone', true],
    ]);
    await until(() => socket.of('subscribe').some((s) => s.chat_id === 'c-far'), 'a subscribe to it');
    sync.connection.stop();
  });

  it('deletes a chat another device deleted, and an import of it does not bring it back', async () => {
    const { socket, store, sync, db } = await online();
    const session = {
      id: 'c-gone',
      title: 'Old',
      titled: true,
      pinned: false,
      created_at: 1,
      updated_at: 1,
      preview: '',
    };
    const message = {
      chat_id: 'c-gone',
      id: 'm1',
      role: 'user' as const,
      text: 'hi',
      created_at: 1,
      state: 'sent' as const,
    };
    await putSession(db, session);
    await putMessages(db, [message]);
    store.book.put([session]);
    push(socket, [{ chat: 'c-gone', field: FIELD.deleted, value: true, at: stamp(2_000) }]);
    await until(() => store.isDeleted('c-gone'), 'the tombstone');
    await until(() => store.sessions.length === 0, 'the chat gone from the list');
    await store.data.flush();
    await until(() => true, 'a tick');
    expect(await db.loadMessages('c-gone')).to.deep.equal([]);
    // A backup from before the delete: the file's chat goes again, and stays out of the list.
    await db.importChats([{ session, messages: [message], pins: [], attachments: [] }]);
    await store.afterImport(['c-gone']);
    expect(store.sessions).to.deep.equal([]);
    expect(await db.loadMessages('c-gone')).to.deep.equal([]);
    sync.connection.stop();
  });

  it('keeps a deleted chat deleted through older and unrelated writes; Restore is a newer write', async () => {
    const { socket, store, sync } = await online();
    // The other device's clock runs an hour ahead of this one's.
    const ahead = Date.now() + 3_600_000;
    push(socket, [
      { chat: 'c-x', field: FIELD.created, value: 1, at: stamp(ahead + 1_000) },
      { chat: 'c-x', field: FIELD.deleted, value: true, at: stamp(ahead + 5_000) },
    ]);
    push(socket, [
      { chat: 'c-x', field: FIELD.deleted, value: false, at: stamp(ahead + 4_000) },
      { chat: 'c-x', field: FIELD.title, value: 'renamed later, offline', at: stamp(ahead + 9_000) },
    ]);
    await until(() => store.isDeleted('c-x'), 'the tombstone');
    expect(store.sessions).to.deep.equal([]);
    await store.restoreSession('c-x');
    expect(store.isDeleted('c-x')).to.equal(false);
    const restore = writes(socket).find((c) => c.field === FIELD.deleted);
    // Newer than everything this device saw, however far behind its own clock runs.
    expect(restore && restore.value === false && restore.at > stamp(ahead + 9_000)).to.equal(true);
    expect(store.sessions.map((s) => s.title)).to.deep.equal(['renamed later, offline']);
    sync.connection.stop();
  });

  it('queues renames, pins and deletes made offline, and sends them once connected; the ack clears them', async () => {
    const { relay, store, sync, db } = await setup(false);
    await until(() => sync.connection.state === 'offline', 'offline');
    await sync.send('c-a', 'first chat');
    await sync.send('c-b', 'second chat');
    await store.renameSession('c-a', 'Named offline');
    await store.setSessionPinned('c-a', true);
    await store.deleteSession('c-b');
    expect(sync.pending).to.equal(2);
    relay.up = true;
    sync.connection.retryNow();
    const socket = await connected(relay, 'e1', undefined, true);
    await answerSubscribe(socket, WORKSPACE_CHAT_ID);
    await until(() => writes(socket).some((c) => c.field === FIELD.deleted), 'the delete');
    const fields = writes(socket).map((c) => [c.chat, c.field, c.value]);
    expect(fields).to.deep.include.members([
      ['c-a', FIELD.title, 'Named offline'],
      ['c-a', FIELD.pinned, true],
      ['c-b', FIELD.deleted, true],
    ]);
    for (const w of socket.of('workspace_write')) {
      socket.push({
        type: 'ack',
        chat_id: WORKSPACE_CHAT_ID,
        client_msg_id: w.client_msg_id,
        message_id: w.client_msg_id,
        seq: 1,
      });
    }
    await until(() => sync.outbox.entries.every((e) => e.kind !== 'workspace'), 'the workspace entries settled');
    await store.data.flush();
    expect((await db.listOutbox()).filter((e) => e.kind === 'workspace')).to.deep.equal([]);
    expect((await queuedMessages(db)).length).to.equal(1);
    sync.connection.stop();
  });

  it('says in the chat when the relay refuses a change for good (a clock far ahead), and stops sending it', async () => {
    const { store, sync, socket } = await online();
    await sync.send('c-clock', 'hello');
    await store.renameSession('c-clock', 'Named ahead');
    await until(() => writes(socket).some((c) => c.value === 'Named ahead'), 'the rename');
    const write = socket.of('workspace_write').find((w) => w.changes.some((c) => c.value === 'Named ahead'));
    const reason =
      "a change is stamped 3600 s ahead of the relay's clock (at most 300 s): set this device's clock right, then write again";
    socket.push({
      type: 'error',
      code: 'clock_ahead',
      message: reason,
      chat_id: WORKSPACE_CHAT_ID,
      ref: write?.client_msg_id,
    });
    await until(() => store.chat('c-clock').notice.includes(reason), 'the notice');
    expect(store.chat('c-clock').notice).to.equal(
      `A change to this chat was not shared with your other devices: ${reason}`,
    );
    expect(sync.outbox.entries.some((e) => e.client_msg_id === write?.client_msg_id)).to.equal(false);
    // This device keeps its own change.
    expect(store.sessions.find((s) => s.id === 'c-clock')?.title).to.equal('Named ahead');
    sync.connection.stop();
  });

  it('puts message pins from another device in this device’s pins', async () => {
    const { socket, store, sync, db } = await online();
    await store.opened('c-p');
    push(socket, [{ chat: 'c-p', field: 'pin/m-7', value: true, at: stamp(3_000) }]);
    await until(() => store.chat('c-p').pins.has('m-7'), 'the pin shown');
    await until(() => true, 'a tick');
    expect((await db.listPins('c-p')).map((p) => p.message_id)).to.deep.equal(['m-7']);
    push(socket, [{ chat: 'c-p', field: 'pin/m-7', value: false, at: stamp(3_001) }]);
    await until(() => !store.chat('c-p').pins.has('m-7'), 'the unpin shown');
    sync.connection.stop();
  });

  it('sends everything again to a relay that restarted without its workspace', async () => {
    const { relay, socket, store, sync } = await online();
    await store.renameSession('c-none', 'ignored: no such chat');
    await sync.send('c-r', 'kept here');
    await store.renameSession('c-r', 'Kept');
    await until(() => writes(socket).some((c) => c.value === 'Kept'), 'the rename');
    socket.drop();
    const next = await connected(relay, 'e2', undefined, true);
    await answerSubscribe(next, WORKSPACE_CHAT_ID, { epoch: 'e2' });
    await until(() => writes(next).some((c) => c.chat === 'c-r' && c.value === 'Kept'), 'everything again');
    sync.connection.stop();
  });

  it('keeps per-chat settings as fields of the chat: written here, merged from elsewhere', async () => {
    const { socket, store, sync } = await online();
    await store.book.writeSetting('c-s', 'model', 'demo-thorough');
    await until(() => writes(socket).some((c) => c.field === 'setting/model'), 'the setting sent');
    expect(store.book.setting('c-s', 'model')).to.equal('demo-thorough');
    push(socket, [{ chat: 'c-s', field: 'setting/model', value: 'demo-fast', at: stamp(Date.now() + 60_000) }]);
    await until(() => store.book.setting('c-s', 'model') === 'demo-fast', 'the newer setting');
    sync.connection.stop();
  });
});
