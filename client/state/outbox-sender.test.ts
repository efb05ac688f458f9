/** The outbox as a user relies on it: what they send is kept at once, leaves in order, once, and says why when refused. */

/// <reference types="mocha" />
import { enqueue, putPending, queuedMessages } from '../test-support/db-writes.ts';
import { expect } from '@esm-bundle/chai';
import { answerSubscribe, connected, setup, until } from '../test-support/fake-relay.ts';

describe('Outbox', () => {
  it('stores a message and puts it on the wire in the same task that pressed send', async () => {
    const { relay, sync, db, store } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-1');
    await answerSubscribe(socket, 'c-1');
    // The chat on screen is open (its history read), as the composer's chat always is.
    await store.opened('c-1');
    const sending = sync.send('c-1', 'right away');
    // No await yet: a tab closed now has already sent it.
    expect(socket.of('send').map((s) => s.text)).to.deep.equal(['right away']);
    await sending;
    expect((await queuedMessages(db)).map((e) => e.kind === 'send' && e.text)).to.deep.equal(['right away']);
    expect((await db.loadMessages('c-1')).map((m) => [m.text, m.state])).to.deep.equal([['right away', 'pending']]);
    sync.connection.stop();
  });

  it('sends what another tab left queued when this tab connects', async () => {
    const { relay, sync, db } = await setup(false);
    await until(() => sync.connection.state === 'offline', 'offline');
    await enqueue(db, {
      kind: 'send',
      chat_id: 'c-2',
      client_msg_id: 'm-left-behind',
      text: 'from a closed tab',
      attachment_ids: [],
      created_at: 1,
    });
    relay.up = true;
    sync.connection.retryNow();
    const socket = await connected(relay);
    await answerSubscribe(socket, 'c-2');
    await until(() => socket.of('send').length === 1, 'the queued send');
    expect(socket.of('send')[0]?.client_msg_id).to.equal('m-left-behind');
    sync.connection.stop();
  });

  it("settles a queued message when the relay's copy arrives, even if the ack went to another tab", async () => {
    const { relay, sync, store, db } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-3');
    await answerSubscribe(socket, 'c-3');
    await sync.send('c-3', 'hello');
    const sent = socket.of('send')[0];
    socket.push({
      type: 'message',
      chat_id: 'c-3',
      seq: 1,
      epoch: 'e1',
      message: { id: sent?.client_msg_id ?? '', role: 'user', text: 'hello', created_at: 5 },
    });
    await until(() => sync.pending === 0, 'settled');
    await store.data.flush();
    expect(await queuedMessages(db)).to.deep.equal([]);
    const stored = await db.loadMessages('c-3');
    expect(stored.map((m) => [m.id, m.state, m.seq])).to.deep.equal([[sent?.client_msg_id, 'sent', 1]]);
    sync.connection.stop();
  });

  it("leaves one copy when the ack comes before the relay's copy (as it may with Redis)", async () => {
    const { relay, sync, store, db } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-8');
    await answerSubscribe(socket, 'c-8');
    await sync.send('c-8', 'acked first');
    const cmid = socket.of('send')[0]?.client_msg_id ?? '';
    socket.push({ type: 'ack', chat_id: 'c-8', client_msg_id: cmid, message_id: cmid, seq: 1 });
    await until(() => store.chat('c-8').messages[0]?.state === 'sent', 'acked');
    const message = { id: cmid, role: 'user' as const, text: 'acked first', created_at: 5 };
    socket.push({ type: 'message', chat_id: 'c-8', seq: 1, epoch: 'e1', message });
    await until(() => store.chat('c-8').messages[0]?.seq === 1, 'delivered');
    await store.data.flush();
    expect((await db.loadMessages('c-8')).map((m) => [m.id, m.seq])).to.deep.equal([[cmid, 1]]);
    expect(store.chat('c-8').messages.map((m) => m.id)).to.deep.equal([cmid]);
    sync.connection.stop();
  });

  it('keeps the order of a chat even when an earlier message carries a file', async () => {
    const { relay, sync } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-4');
    await answerSubscribe(socket, 'c-4');
    const file = new File(['some bytes'], 'notes.txt', { type: 'text/plain' });
    void sync.send('c-4', 'with a file', [file]);
    await sync.send('c-4', 'plain, right after');
    await until(() => socket.of('send').length === 2, 'both sends');
    expect(socket.of('send').map((s) => [s.text, s.attachments?.length ?? 0])).to.deep.equal([
      ['with a file', 1],
      ['plain, right after', 0],
    ]);
    sync.connection.stop();
  });

  it('keeps a message queued after a retryable error and sends it again', async () => {
    const { relay, sync } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-5');
    await answerSubscribe(socket, 'c-5');
    await sync.send('c-5', 'try again later');
    const ref = socket.of('send')[0]?.client_msg_id;
    socket.push({ type: 'error', code: 'rate_limited', message: 'slow down', chat_id: 'c-5', ref });
    expect(sync.pending).to.equal(1);
    await until(() => socket.of('send').length === 2, 'the resend', 4_000);
    expect(socket.of('send')[1]?.client_msg_id).to.equal(ref);
    sync.connection.stop();
  });

  it('offers "send again" for a refused message, as a new message with the same text', async () => {
    const { relay, sync, store } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-6');
    await answerSubscribe(socket, 'c-6');
    await sync.send('c-6', 'refused once');
    const ref = socket.of('send')[0]?.client_msg_id;
    socket.push({ type: 'error', code: 'text_too_large', message: 'text exceeds the limit', chat_id: 'c-6', ref });
    await until(() => store.chat('c-6').messages[0]?.state === 'failed', 'failed');
    const failed = store.chat('c-6').messages[0];
    if (!failed) throw new Error('no message');
    await sync.retry(failed);
    expect(socket.of('send').map((s) => s.text)).to.deep.equal(['refused once', 'refused once']);
    expect(socket.of('send')[1]?.client_msg_id).to.not.equal(ref);
    expect(store.chat('c-6').messages.map((m) => [m.text, m.state])).to.deep.equal([['refused once', 'pending']]);
    sync.connection.stop();
  });

  it('marks a message refused after its tab closed as not sent, in the tab that sent it instead', async () => {
    const { relay, sync, store, db } = await setup(false);
    await until(() => sync.connection.state === 'offline', 'offline');
    const message = { chat_id: 'c-9', id: 'm-9', client_msg_id: 'm-9', role: 'user' as const, text: 'x'.repeat(99) };
    const entry = {
      kind: 'send' as const,
      chat_id: 'c-9',
      client_msg_id: 'm-9',
      text: message.text,
      attachment_ids: [],
    };
    await putPending(db, { ...message, created_at: 1, state: 'pending' }, { ...entry, created_at: 1 });
    relay.up = true;
    sync.connection.retryNow();
    const socket = await connected(relay);
    await answerSubscribe(socket, 'c-9');
    await until(() => socket.of('send').length === 1, 'the send');
    socket.push({ type: 'error', code: 'text_too_large', message: 'too long', chat_id: 'c-9', ref: 'm-9' });
    await until(() => store.chat('c-9').messages[0]?.state === 'failed', 'failed here');
    for (let i = 0; i < 100 && (await queuedMessages(db)).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await store.data.flush();
    expect((await db.loadMessages('c-9')).map((m) => [m.state, m.error])).to.deep.equal([['failed', 'too long']]);
    expect(await queuedMessages(db)).to.deep.equal([]);
    sync.connection.stop();
  });

  it('never sends a queued message the user deleted', async () => {
    const { relay, sync, store, db } = await setup(false);
    await until(() => sync.connection.state === 'offline', 'offline');
    await sync.send('c-7', 'on second thought, no');
    await sync.send('c-7', 'this one yes');
    const first = store.chat('c-7').messages[0];
    if (!first) throw new Error('no message');
    await sync.discard(first);
    expect(sync.pending).to.equal(1);
    expect((await queuedMessages(db)).length).to.equal(1);
    relay.up = true;
    sync.connection.retryNow();
    const socket = await connected(relay);
    await answerSubscribe(socket, 'c-7');
    await until(() => socket.of('send').length === 1, 'the remaining send');
    expect(socket.of('send').map((s) => s.text)).to.deep.equal(['this one yes']);
    sync.connection.stop();
  });
});
