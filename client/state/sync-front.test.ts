/** The sync before its relay side has loaded: what is written then is kept and queued, and leaves once it is here. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { queuedMessages } from '../test-support/db-writes.ts';
import { answerSubscribe, connected, FakeRelay, until } from '../test-support/fake-relay.ts';
import { ChatStore } from './chat-store.ts';
import { ChatSync } from './chat-sync.ts';
import { ParleyDb } from './db.ts';
import { SyncFront } from './sync-front.ts';

let n = 0;

async function front() {
  const db = await ParleyDb.open(`parley-front-${Date.now()}-${n++}`);
  const store = new ChatStore(db);
  await store.init();
  const relay = new FakeRelay();
  relay.up = true;
  /** The relay side arriving, as AppCore.start constructs and starts it once its chunk is loaded. */
  const arrive = async () => {
    const config = { url: 'ws://relay.test/ws', token: '', source: 'settings' as const };
    const sync = new ChatSync(store, config, 'tab', {
      socketFactory: relay.factory,
      backoff: { baseMs: 5, capMs: 20, minUptimeMs: 0 },
    });
    f.attach(sync);
    await sync.start();
    return sync;
  };
  const f = new SyncFront(store);
  return { db, store, relay, front: f, arrive };
}

describe('SyncFront', () => {
  it('writes a message sent before the relay side is here in the same task, and sends it once it has arrived', async () => {
    const { db, store, relay, front: f, arrive } = await front();
    expect(f.connection.state).to.equal('connecting');
    const written = f.send('c-f', 'sent before the chunk');
    // In the sending task: on screen, counted, and its transaction issued (no await in between).
    expect(store.chat('c-f').messages.map((m) => [m.text, m.state])).to.deep.equal([
      ['sent before the chunk', 'pending'],
    ]);
    expect(f.pending).to.equal(1);
    await written;
    expect((await queuedMessages(db)).map((e) => e.kind === 'send' && e.text)).to.deep.equal(['sent before the chunk']);

    const sync = await arrive();
    const socket = await connected(relay);
    await answerSubscribe(socket, 'c-f');
    await until(() => socket.of('send').length === 1, 'the queued send');
    expect(socket.of('send').map((s) => s.text)).to.deep.equal(['sent before the chunk']);
    expect(f.connection.state).to.equal('connected');
    sync.connection.stop();
  });

  it('hands the chats asked for meanwhile to the relay side, and a press waits for it', async () => {
    const { relay, front: f, arrive } = await front();
    f.subscribe('c-open');
    f.subscribe('c-closed');
    f.unsubscribe('c-closed');
    const pressed = f.press('c-pressed', 'm-1', 'yes');
    const sync = await arrive();
    await pressed;
    const socket = await connected(relay);
    await answerSubscribe(socket, 'c-pressed');
    await until(() => socket.of('action').length === 1, 'the press');
    // Chats with something queued first, then the ones asked for.
    expect(socket.of('subscribe').map((s) => s.chat_id)).to.deep.equal(['c-pressed', 'c-open']);
    expect(socket.of('action')[0]).to.include({ chat_id: 'c-pressed', message_id: 'm-1', action_id: 'yes' });
    sync.connection.stop();
  });
});
