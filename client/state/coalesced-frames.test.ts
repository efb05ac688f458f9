/** Coalesced `events` frames reach the app's store as the events they carry: same messages, each seq once, bad ones refused. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { packEvents, type TurnOutputEvent } from '../../shared/index.ts';
import { setup, until, type FakeSocket } from '../test-support/fake-relay.ts';

const turn = { chat_id: 'c-9', epoch: 'e1', turn_id: 't1', message_id: 'a1' };
const TEXTS = ['Hel', 'lo', ' 👋🏽', '', ' world', '!'];
const deltas = (from: number, texts: string[]): [TurnOutputEvent, ...TurnOutputEvent[]] => {
  const [first, ...rest] = texts.map((text, i): TurnOutputEvent => ({ ...turn, type: 'delta', seq: from + i, text }));
  if (!first) throw new Error('no texts');
  return [first, ...rest];
};

async function connected() {
  const s = await setup(true);
  await until(() => s.relay.current?.readyState === 1, 'open');
  const socket = s.relay.current;
  if (!socket) throw new Error('no socket');
  socket.ready();
  void s.sync.subscribe('c-9');
  await until(() => socket.of('subscribe').length === 1, 'subscribe');
  socket.push({ type: 'subscribed', chat_id: 'c-9', epoch: 'e1', head_seq: 0, recovered: true });
  socket.push({ ...turn, type: 'turn_start', seq: 1, reply_to: 'u1', created_at: 1 });
  return { ...s, socket };
}

/** The reply as the user sees it, once the turn has ended. */
async function reply(s: Awaited<ReturnType<typeof connected>>, socket: FakeSocket, endSeq: number) {
  socket.push({ ...turn, type: 'turn_end', seq: endSeq, status: 'done' });
  await until(() => s.store.chat('c-9').messages.some((m) => m.id === 'a1' && m.state === 'done'), 'turn end');
  const m = s.store.chat('c-9').messages.find((x) => x.id === 'a1');
  s.sync.connection.stop();
  return { text: m?.text, state: m?.state, seq: m?.seq };
}

describe('coalesced frames', () => {
  it('give the same message as one frame per event', async () => {
    const single = await connected();
    for (const e of deltas(2, TEXTS)) single.socket.push(e);
    const perEvent = await reply(single, single.socket, 8);

    const packed = await connected();
    packed.socket.pushRaw(JSON.stringify(packEvents(deltas(2, TEXTS))));
    expect(await reply(packed, packed.socket, 8)).to.deep.equal(perEvent);
    expect(perEvent).to.deep.equal({ text: 'Hello 👋🏽 world!', state: 'done', seq: 8 });
  });

  it('apply each seq once when a frame covers seqs the client already has (a resume inside its range)', async () => {
    const s = await connected();
    for (const e of deltas(2, TEXTS.slice(0, 3))) s.socket.push(e);
    // Seqs 2..4 are here; the frame covers 3..7.
    s.socket.pushRaw(JSON.stringify(packEvents(deltas(3, TEXTS.slice(1)))));
    expect(await reply(s, s.socket, 8)).to.deep.equal({ text: 'Hello 👋🏽 world!', state: 'done', seq: 8 });
  });

  it('refuse an inconsistent frame as unreadable and keep the connection for what follows', async () => {
    const s = await connected();
    const warn = console.warn;
    const warned: unknown[] = [];
    console.warn = (...args: unknown[]) => warned.push(args[0]);
    try {
      s.socket.pushRaw(JSON.stringify({ ...packEvents(deltas(2, TEXTS)), last_seq: 4 }));
    } finally {
      console.warn = warn;
    }
    expect(String(warned[0])).to.contain('events.last_seq is 4, but the events cover 6 seqs from 2');
    expect(s.sync.connection.state).to.equal('connected');
    const m = () => s.store.chat('c-9').messages.find((x) => x.id === 'a1');
    await until(() => m()?.text !== undefined, 'the reply');
    // Its place in the chat says what could not be shown; the next frame is read as usual.
    s.socket.push({
      type: 'message',
      chat_id: 'c-9',
      epoch: 'e1',
      seq: 3,
      message: { id: 'u2', role: 'user', text: 'next', created_at: 5 },
    });
    await until(() => s.store.chat('c-9').messages.some((x) => x.id === 'u2'), 'the next frame');
    s.sync.connection.stop();
  });
});
