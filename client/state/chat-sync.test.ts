/** Sync against an in-page fake relay: offline sends wait in order, reconnects resume without losing or doubling anything. */

/// <reference types="mocha" />
import { getResume, queuedMessages } from '../test-support/db-writes.ts';
import { expect } from '@esm-bundle/chai';
import { setup, until } from '../test-support/fake-relay.ts';

describe('ChatSync', () => {
  it('queues messages written offline and sends them in order, once, when the relay comes back', async () => {
    const { relay, store, sync, db } = await setup();
    await until(() => sync.connection.state === 'offline', 'offline');
    await sync.send('c-1', 'first');
    await sync.send('c-1', 'second');
    expect(sync.pending).to.equal(2);
    expect(store.chat('c-1').messages.map((m) => [m.text, m.state])).to.deep.equal([
      ['first', 'pending'],
      ['second', 'pending'],
    ]);
    expect((await queuedMessages(db)).length).to.equal(2);

    relay.up = true;
    sync.connection.retryNow();
    await until(() => relay.current?.readyState === 1, 'open');
    const socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready();
    await until(() => socket.of('subscribe').length === 1, 'subscribe');
    socket.push({ type: 'subscribed', chat_id: 'c-1', epoch: 'e1', head_seq: 0, recovered: true });
    await until(() => socket.of('send').length === 2, 'both sends');
    const sends = socket.of('send');
    expect(sends.map((s) => s.text)).to.deep.equal(['first', 'second']);
    expect(sends[1]?.context?.map((c) => c.text) ?? []).to.deep.equal([]);

    sends.forEach((s, i) => {
      const id = s.client_msg_id;
      socket.push({
        type: 'message',
        chat_id: 'c-1',
        seq: i + 1,
        epoch: 'e1',
        message: { id, role: 'user', text: s.text, created_at: 1000 + i },
      });
      socket.push({ type: 'ack', chat_id: 'c-1', client_msg_id: s.client_msg_id, message_id: id, seq: i + 1 });
    });
    await until(() => sync.pending === 0, 'acks');
    await store.data.flush();
    // Protocol 2: the relay's copy has the id the client chose, so it replaces the pending copy in place.
    expect(store.chat('c-1').messages.map((m) => [m.id, m.state])).to.deep.equal([
      [sends[0]?.client_msg_id, 'sent'],
      [sends[1]?.client_msg_id, 'sent'],
    ]);
    expect(await queuedMessages(db)).to.deep.equal([]);
    sync.connection.stop();
  });

  it('resumes from where it stood after a drop, without doubling replayed tokens', async () => {
    const { relay, store, sync, db } = await setup(true);
    await until(() => relay.current?.readyState === 1, 'open');
    let socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready();
    void sync.subscribe('c-2');
    await until(() => (socket?.of('subscribe').length ?? 0) === 1, 'subscribe');
    expect(socket.of('subscribe')[0]).to.deep.equal({ type: 'subscribe', chat_id: 'c-2' });
    socket.push({ type: 'subscribed', chat_id: 'c-2', epoch: 'e1', head_seq: 0, recovered: true });
    const turn = { chat_id: 'c-2', epoch: 'e1', turn_id: 't1', message_id: 'a1' };
    socket.push({ ...turn, type: 'turn_start', seq: 1, reply_to: 'u1', created_at: 1 });
    socket.push({ ...turn, type: 'delta', seq: 2, text: 'Hel' });
    socket.push({ ...turn, type: 'delta', seq: 3, text: 'lo' });
    await store.data.flush();
    expect((await getResume(db, 'c-2'))?.seq).to.equal(3);

    socket.drop();
    await until(() => relay.sockets.length === 2 && relay.current?.readyState === 1, 'reconnect');
    socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready();
    await until(() => (socket?.of('subscribe').length ?? 0) === 1, 'resubscribe');
    expect(socket.of('subscribe')[0]).to.deep.equal({ type: 'subscribe', chat_id: 'c-2', epoch: 'e1', after_seq: 3 });
    socket.push({ type: 'subscribed', chat_id: 'c-2', epoch: 'e1', head_seq: 5, recovered: true });
    // A relay may resend what the client already has; it must not show twice.
    socket.push({ ...turn, type: 'delta', seq: 3, text: 'lo' });
    socket.push({ ...turn, type: 'delta', seq: 4, text: ', world' });
    socket.push({ ...turn, type: 'turn_end', seq: 5, status: 'done' });
    await until(() => store.chat('c-2').messages[0]?.state === 'done', 'turn end');
    expect(store.chat('c-2').messages[0]?.text).to.equal('Hello, world');
    sync.connection.stop();
  });

  it('says so when the relay restarted and could not replay, and ends a reply it interrupted', async () => {
    const { relay, store, sync } = await setup(true);
    await until(() => relay.current?.readyState === 1, 'open');
    let socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready('e1');
    void sync.subscribe('c-3');
    await until(() => (socket?.of('subscribe').length ?? 0) === 1, 'subscribe');
    socket.push({ type: 'subscribed', chat_id: 'c-3', epoch: 'e1', head_seq: 0, recovered: true });
    const turn = { chat_id: 'c-3', epoch: 'e1', turn_id: 't1', message_id: 'a1' };
    socket.push({ ...turn, type: 'turn_start', seq: 1, reply_to: 'u1', created_at: 1 });
    socket.push({ ...turn, type: 'delta', seq: 2, text: 'Half a rep' });
    socket.drop();
    await until(() => relay.sockets.length === 2 && relay.current?.readyState === 1, 'reconnect');
    socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready('e2');
    await until(() => (socket?.of('subscribe').length ?? 0) === 1, 'resubscribe');
    socket.push({ type: 'subscribed', chat_id: 'c-3', epoch: 'e2', head_seq: 0, recovered: false });
    await until(() => store.chat('c-3').notice !== '', 'notice');
    expect(store.chat('c-3').notice).to.match(/relay restarted/i);
    const m = store.chat('c-3').messages[0];
    expect(m?.state).to.equal('error');
    expect(m?.text).to.equal('Half a rep');
    // New events in the new epoch start again from seq 1 and are applied.
    socket.push({
      type: 'message',
      chat_id: 'c-3',
      seq: 1,
      epoch: 'e2',
      message: { id: 'x', role: 'user', text: 'after', created_at: Date.now() },
    });
    await until(() => store.chat('c-3').messages.length === 2, 'new epoch event');
    sync.connection.stop();
  });

  it('marks a message the relay rejected as not sent, with the reason', async () => {
    const { relay, store, sync } = await setup(true);
    await until(() => relay.current?.readyState === 1, 'open');
    const socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready();
    await sync.send('c-4', 'too much');
    await until(() => socket.of('subscribe').length === 1, 'subscribe');
    socket.push({ type: 'subscribed', chat_id: 'c-4', epoch: 'e1', head_seq: 0, recovered: true });
    await until(() => socket.of('send').length === 1, 'send');
    const ref = socket.of('send')[0]?.client_msg_id;
    socket.push({ type: 'error', code: 'text_too_large', message: 'text exceeds the limit', chat_id: 'c-4', ref });
    await until(() => store.chat('c-4').messages[0]?.state === 'failed', 'failed');
    expect(store.chat('c-4').messages[0]?.error).to.equal('text exceeds the limit');
    expect(sync.pending).to.equal(0);
    sync.connection.stop();
  });

  it('refills a chat from the agent history when the relay cannot replay the gap', async () => {
    const { relay, store, sync } = await setup(true);
    await until(() => relay.current?.readyState === 1, 'open');
    const socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready('e9', ['markdown', 'history']);
    store.chat('c-5').cursor = { epoch: 'e1', seq: 40 };
    store
      .chat('c-5')
      .upsertLocal({ chat_id: 'c-5', id: 'old', role: 'user', text: 'old', created_at: 1, state: 'sent' });
    void sync.subscribe('c-5');
    await until(() => socket.of('subscribe').length === 1, 'subscribe');
    socket.push({ type: 'subscribed', chat_id: 'c-5', epoch: 'e9', head_seq: 0, recovered: false });
    await until(() => socket.of('history').length === 1, 'history request');
    const request = socket.of('history')[0];
    socket.push({
      type: 'history_result',
      chat_id: 'c-5',
      request_id: request?.request_id ?? '',
      complete: true,
      messages: [
        { id: 'old', role: 'user', text: 'old', created_at: 1 },
        { id: 'missed', role: 'assistant', text: 'You missed me', created_at: 2, status: 'done' },
      ],
    });
    await until(() => store.chat('c-5').messages.length === 2, 'history applied');
    expect(store.chat('c-5').messages.map((m) => m.text)).to.deep.equal(['old', 'You missed me']);
    expect(store.chat('c-5').notice).to.match(/1 missing message was restored/);
    sync.connection.stop();
  });

  it('ends a reply the relay stopped because it could not write its history, until the relay ends it itself', async () => {
    const { relay, store, sync } = await setup(true);
    await until(() => relay.current?.readyState === 1, 'open');
    const socket = relay.current;
    if (!socket) throw new Error('no socket');
    socket.ready();
    void sync.subscribe('c-full');
    await until(() => socket.of('subscribe').length === 1, 'subscribe');
    socket.push({ type: 'subscribed', chat_id: 'c-full', epoch: 'e1', head_seq: 0, recovered: true });
    const turn = { chat_id: 'c-full', epoch: 'e1', turn_id: 't1', message_id: 'a1' };
    socket.push({ ...turn, type: 'turn_start', seq: 1, reply_to: 'u1', created_at: 1 });
    socket.push({ ...turn, type: 'delta', seq: 2, text: 'Half' });
    socket.push({ ...turn, type: 'tool_call', seq: 3, call_id: 'k1', name: 'search', arguments: '{}' });
    await until(() => store.chat('c-full').messages[0]?.tools?.length === 1, 'streaming');
    const why = 'The relay could not write this chat history to disk, so this reply stopped here.';
    socket.push({ type: 'error', code: 'storage_unavailable', chat_id: 'c-full', message: why });
    await until(() => store.chat('c-full').messages[0]?.state === 'error', 'stopped');
    expect(store.chat('c-full').messages[0]).to.include({ text: 'Half', error: why });
    // Ended as a turn_end ends a reply: its tool stops spinning too.
    expect(store.chat('c-full').messages[0]?.tools?.map((t) => t.status)).to.deep.equal(['error']);
    expect(store.chat('c-full').notice).to.equal(why);
    // Once the disk has room, the relay's turn_end for it changes nothing, and the chat goes on.
    socket.push({ ...turn, type: 'turn_end', seq: 4, status: 'error', error: why });
    const next = { ...turn, turn_id: 't2', message_id: 'a2' };
    socket.push({ ...next, type: 'turn_start', seq: 5, reply_to: 'u2', created_at: 2 });
    socket.push({ ...next, type: 'turn_end', seq: 6, status: 'done' });
    await until(() => store.chat('c-full').messages[1]?.state === 'done', 'next reply');
    expect(store.chat('c-full').messages.map((m) => [m.text, m.state])).to.deep.equal([
      ['Half', 'error'],
      ['', 'done'],
    ]);
    sync.connection.stop();
  });
});
