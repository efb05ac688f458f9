/** The store keeps the history of the recently opened chats in memory, and no more. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { putMessages } from '../test-support/db-writes.ts';
import { ChatStore, OPEN_CHATS } from './chat-store.ts';
import { ParleyDb } from './db.ts';

describe('ChatStore memory', () => {
  it(`holds at most ${OPEN_CHATS} opened chats' histories; a busy one stays until it is idle`, async () => {
    const db = await ParleyDb.open(`parley-lru-${Date.now()}`);
    const ids = Array.from({ length: OPEN_CHATS + 3 }, (_, i) => `c-${i}`);
    for (const id of ids) {
      await putMessages(db, [{ chat_id: id, id: `${id}-m`, role: 'user', text: id, created_at: 1, state: 'sent' }]);
    }
    const store = new ChatStore(db);
    await store.init();
    // The first chat has a reply streaming: it must not leave memory.
    await store.opened('c-0');
    store.applyRelayEvent({
      type: 'turn_start',
      chat_id: 'c-0',
      epoch: 'e',
      seq: 1,
      turn_id: 't',
      message_id: 'r',
      reply_to: 'c-0-m',
      created_at: 2,
    });
    for (const id of ids.slice(1)) await store.opened(id);
    expect(store.loadedChats).to.equal(OPEN_CHATS);
    expect([store.cache('c-0').isLoaded, store.cache('c-0').turn?.turn_id]).to.deep.equal([true, 't']);
    // c-1 .. c-3 were the least recently opened idle chats; their history is read again when opened.
    expect(store.cache('c-1').isLoaded).to.equal(false);
    await store.opened('c-1');
    expect(store.cache('c-1').messages.map((m) => m.text)).to.deep.equal(['c-1']);
    db.close();
  });
});
