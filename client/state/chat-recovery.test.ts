/** Repairs after the relay lost what it held: cut-off replies asked again once, history used where offered, gaps refetched. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { lostMessages } from './chat-recovery.ts';
import { answerSubscribe, connected, setup, until, type FakeSocket } from '../test-support/fake-relay.ts';
import type { LocalMessage } from './types.ts';

const user = (id: string, epoch: string | undefined, over: Partial<LocalMessage> = {}): LocalMessage => ({
  chat_id: 'c',
  id,
  client_msg_id: `cm-${id}`,
  role: 'user',
  text: id,
  created_at: 1,
  state: 'sent',
  ...(epoch ? { epoch } : {}),
  ...over,
});
const reply = (id: string, over: Partial<LocalMessage> = {}): LocalMessage => ({
  chat_id: 'c',
  id,
  role: 'assistant',
  text: id,
  created_at: 1,
  state: 'done',
  ...over,
});

describe('lostMessages', () => {
  it('finds the messages after the last finished reply that the old relay took', () => {
    const cut = reply('a2', { state: 'error', interrupted: true });
    const list = [user('u1', 'e1'), reply('a1'), user('u2', 'e1'), user('u3', 'e1'), cut];
    expect(lostMessages(list, 'e2', new Set()).map((m) => m.id)).to.deep.equal(['u2', 'u3']);
  });

  it('finds nothing when the last reply finished, and skips messages still queued', () => {
    expect(lostMessages([user('u1', 'e1'), reply('a1')], 'e2', new Set())).to.deep.equal([]);
    const queued = user('u2', undefined, { state: 'pending' });
    expect(lostMessages([user('u1', 'e1'), queued], 'e2', new Set()).map((m) => m.id)).to.deep.equal(['u1']);
  });

  it('stops at what the new relay or the agent already has', () => {
    expect(lostMessages([user('u1', 'e1'), user('u2', 'e2')], 'e2', new Set())).to.deep.equal([]);
    expect(lostMessages([user('u1', 'e1'), user('u2', 'e1')], 'e2', new Set(['u1'])).map((m) => m.id)).to.deep.equal([
      'u2',
    ]);
  });
});

/** A chat with one finished exchange and a reply cut off mid-stream in epoch e1, then the relay gone. */
async function crashMidReply(capabilities?: Parameters<typeof connected>[2]) {
  const env = await setup(true);
  const socket = await connected(env.relay, 'e1', capabilities);
  void env.sync.subscribe('c-r');
  await answerSubscribe(socket, 'c-r');
  const ev = { chat_id: 'c-r', epoch: 'e1' };
  const turn = { ...ev, turn_id: 't2', message_id: 'a2' };
  socket.push({ ...ev, type: 'message', seq: 1, message: { id: 'u1', role: 'user', text: 'first', created_at: 10 } });
  socket.push({ ...ev, type: 'message', seq: 2, message: { id: 'a1', role: 'assistant', text: 'ok', created_at: 11 } });
  const asked = { id: 'u2', role: 'user' as const, text: 'cut off', created_at: 12 };
  socket.push({ ...ev, type: 'message', seq: 3, message: asked });
  // The relay starts an idle agent's turn in the millisecond it took the message: the reply shares its time.
  socket.push({ ...turn, type: 'turn_start', seq: 4, reply_to: 'u2', created_at: 12 });
  socket.push({ ...turn, type: 'delta', seq: 5, text: 'Half a rep' });
  env.relay.up = false;
  socket.drop();
  await until(() => env.sync.connection.state === 'offline', 'offline');
  await env.sync.send('c-r', 'written while down');
  return env;
}

async function restarted(
  env: Awaited<ReturnType<typeof crashMidReply>>,
  capabilities?: Parameters<typeof connected>[2],
) {
  env.relay.up = true;
  env.sync.connection.retryNow();
  const socket: FakeSocket = await connected(env.relay, 'e2', capabilities);
  await answerSubscribe(socket, 'c-r', { epoch: 'e2', recovered: false });
  return socket;
}

describe('ChatRecovery', () => {
  it('after a relay restart asks the cut-off message again first, then the one written meanwhile', async () => {
    const env = await crashMidReply();
    const socket = await restarted(env);
    await until(() => socket.of('send').length === 2, 'both sends');
    expect(socket.of('send').map((s) => [s.client_msg_id === 'u2', s.text])).to.deep.equal([
      [true, 'cut off'],
      [false, 'written while down'],
    ]);
    const cache = env.store.chat('c-r');
    expect(cache.notice).to.match(/relay restarted/i);
    expect(cache.messages.find((m) => m.id === 'a2')).to.include({ state: 'error', interrupted: true });

    // The new relay takes it under the same id: one copy of the message, the partial reply gone.
    const again = { id: 'u2', role: 'user' as const, text: 'cut off', created_at: 20 };
    socket.push({ type: 'message', chat_id: 'c-r', epoch: 'e2', seq: 1, message: again });
    await until(() => !cache.messages.some((m) => m.id === 'a2'), 'partial replaced');
    expect(cache.messages.map((m) => m.text)).to.deep.equal(['first', 'ok', 'cut off', 'written while down']);
    await env.store.data.flush();
    const stored = await env.db.loadMessages('c-r');
    expect(stored.map((m) => m.id)).to.not.include('a2');
    expect(stored.filter((m) => m.id === 'u2').map((m) => m.epoch)).to.deep.equal(['e2']);
    env.sync.connection.stop();
  });

  it("does not ask again what the agent's history shows it received, and holds later messages until it knows", async () => {
    const env = await crashMidReply(['history']);
    const socket = await restarted(env, ['history']);
    await until(() => socket.of('history').length === 1, 'history request');
    expect(socket.of('send')).to.deep.equal([]);
    const request_id = socket.of('history')[0]?.request_id ?? '';
    const received = { id: 'x2', role: 'user' as const, text: 'cut off', created_at: 12, client_msg_id: 'cm-2' };
    socket.push({ type: 'history_result', chat_id: 'c-r', request_id, complete: true, messages: [received] });
    await until(() => socket.of('send').length === 1, 'the later message');
    expect(socket.of('send').map((s) => s.text)).to.deep.equal(['written while down']);
    env.sync.connection.stop();
  });

  it('resubscribes from what it holds when live events skip a seq', async () => {
    const { relay, sync, store } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-g');
    await answerSubscribe(socket, 'c-g');
    const message = (seq: number) => ({
      type: 'message' as const,
      chat_id: 'c-g',
      epoch: 'e1',
      seq,
      message: { id: `m${seq}`, role: 'user' as const, text: `n${seq}`, created_at: seq },
    });
    socket.push(message(1));
    socket.push(message(2));
    socket.push(message(5));
    await until(() => socket.of('subscribe').length === 2, 'resubscribe');
    expect(socket.of('subscribe')[1]).to.deep.equal({ type: 'subscribe', chat_id: 'c-g', epoch: 'e1', after_seq: 2 });
    expect(store.chat('c-g').messages.map((m) => m.id)).to.deep.equal(['m1', 'm2']);
    socket.push({ type: 'subscribed', chat_id: 'c-g', epoch: 'e1', head_seq: 5, recovered: true });
    for (const seq of [3, 4, 5]) socket.push(message(seq));
    await until(() => store.chat('c-g').messages.length === 5, 'gap filled');
    sync.connection.stop();
  });
});
