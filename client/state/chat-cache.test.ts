/** One chat in memory: the same order on every tab, and no stale copy of a message surviving a reload. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { ChatCache, compareMessages } from './chat-cache.ts';
import { ParleyDb } from './db.ts';
import type { LocalMessage } from './types.ts';

const m = (over: Partial<LocalMessage> & Pick<LocalMessage, 'id' | 'role' | 'created_at'>): LocalMessage => ({
  chat_id: 'c-1',
  text: over.id,
  state: over.role === 'user' ? 'sent' : 'done',
  ...over,
});

describe('ChatCache', () => {
  it('orders by relay time; on a tie the user first, users by seq, whatever the ids', () => {
    const list = [
      m({ id: 'z-reply', role: 'assistant', created_at: 5 }),
      m({ id: 'b-second', role: 'user', created_at: 5, epoch: 'e', seq: 2 }),
      m({ id: 'a-third', role: 'user', created_at: 5, epoch: 'e', seq: 3 }),
      m({ id: 'y-first', role: 'user', created_at: 5, epoch: 'e', seq: 1 }),
      m({ id: 'early', role: 'assistant', created_at: 1 }),
    ];
    expect(list.sort(compareMessages).map((x) => x.id)).to.deep.equal([
      'early',
      'y-first',
      'b-second',
      'a-third',
      'z-reply',
    ]);
  });

  it("places a live reply where the relay's own copy of it will sort, on every tab", async () => {
    const cache = new ChatCache(
      'c-1',
      null,
      () => {},
      () => {},
    );
    await cache.load();
    const ev = { chat_id: 'c-1', epoch: 'e' };
    cache.apply({ ...ev, type: 'message', seq: 1, message: { id: 'u1', role: 'user', text: 'q', created_at: 1000 } });
    cache.apply({ ...ev, type: 'turn_start', seq: 2, turn_id: 't', message_id: 'a1', reply_to: 'u1' });
    cache.apply({ ...ev, type: 'message', seq: 3, message: { id: 'u2', role: 'user', text: 'q2', created_at: 1001 } });
    // The tab's clock is irrelevant: the reply sits after u1 and before u2, as a replay would put it.
    expect(cache.messages.map((x) => x.id)).to.deep.equal(['u1', 'a1', 'u2']);
  });

  it('drops a stored pending copy once the relay copy of the same message is stored too', async () => {
    const db = await ParleyDb.open(`parley-cache-${Date.now()}`);
    const pending = m({ id: 'cm-1', client_msg_id: 'cm-1', role: 'user', created_at: 9, state: 'pending' });
    const delivered = m({ id: 'u-1', client_msg_id: 'cm-1', role: 'user', created_at: 7, epoch: 'e', seq: 1 });
    await db.putMessages([pending, delivered]);
    const cache = new ChatCache(
      'c-1',
      db,
      () => {},
      () => {},
    );
    await cache.load();
    expect(cache.messages.map((x) => x.id)).to.deep.equal(['u-1']);
    await cache.persist();
    expect((await db.loadMessages('c-1')).map((x) => x.id)).to.deep.equal(['u-1']);
    db.close();
  });

  it('shows the newest page of a long chat before the whole history has loaded, then all of it', async () => {
    const db = await ParleyDb.open(`parley-cache-page-${Date.now()}`);
    const stored = Array.from({ length: 150 }, (_, i) =>
      m({ id: `m-${String(149 - i).padStart(3, '0')}`, role: i % 2 ? 'assistant' : 'user', created_at: 1000 + i }),
    );
    await db.putMessages(stored);
    let first: { ids: string[]; loaded: boolean } | undefined;
    const cache = new ChatCache(
      'c-1',
      db,
      () => {},
      () => {},
      () => {},
      (c) => (first ??= { ids: c.shown.map((x) => x.id), loaded: c.isLoaded }),
    );
    await cache.load();
    expect(first?.loaded).to.equal(false);
    expect(first?.ids).to.deep.equal(stored.slice(-60).map((x) => x.id));
    expect(cache.shown.map((x) => x.id)).to.deep.equal(stored.map((x) => x.id));
    db.close();
  });
});
