/** One chat in memory: the same order on every tab, and no stale copy of a message surviving a reload. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { putMessages, testCache } from '../test-support/db-writes.ts';
import { compareMessages } from './message-order.ts';
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
    const { cache } = testCache('c-1', null);
    await cache.open();
    const ev = { chat_id: 'c-1', epoch: 'e' };
    cache.apply({ ...ev, type: 'message', seq: 1, message: { id: 'u1', role: 'user', text: 'q', created_at: 1000 } });
    // The relay stamps the reply when its turn began, in the same millisecond as the question here.
    cache.apply({
      ...ev,
      type: 'turn_start',
      seq: 2,
      turn_id: 't',
      message_id: 'a1',
      reply_to: 'u1',
      created_at: 1000,
    });
    cache.apply({ ...ev, type: 'message', seq: 3, message: { id: 'u2', role: 'user', text: 'q2', created_at: 1001 } });
    // The tab's clock is irrelevant: the reply sits after u1 and before u2, as a replay would put it.
    expect(cache.messages.map((x) => x.id)).to.deep.equal(['u1', 'a1', 'u2']);
  });

  it('applies an event to a chat not opened by reading only the message it changes', async () => {
    const db = await ParleyDb.open(`parley-cache-partial-${Date.now()}`);
    const history = Array.from({ length: 40 }, (_, i) => m({ id: `h-${i}`, role: 'user', created_at: i }));
    const reply = m({ id: 'a-1', role: 'assistant', created_at: 50, state: 'streaming', epoch: 'e', seq: 3 });
    await putMessages(db, [...history, reply], { chat_id: 'c-1', epoch: 'e', seq: 3 });
    const { cache, data } = testCache('c-1', db);
    cache.cursor = { epoch: 'e', seq: 3 };
    const ev = { chat_id: 'c-1', epoch: 'e', turn_id: 't', message_id: 'a-1' };
    cache.apply({ ...ev, type: 'delta', seq: 4, text: ' more' });
    cache.apply({ ...ev, type: 'turn_end', seq: 5, status: 'done' });
    for (let i = 0; i < 50 && cache.get('a-1')?.state !== 'done'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(cache.isLoaded).to.equal(false);
    expect(cache.messages.map((x) => [x.id, x.text, x.state])).to.deep.equal([['a-1', 'a-1 more', 'done']]);
    await data.flush();
    const stored = await db.getMessage('c-1', 'a-1');
    expect([stored?.text, stored?.state, stored?.seq]).to.deep.equal(['a-1 more', 'done', 5]);
    expect((await db.loadMessages('c-1')).length).to.equal(41);
    db.close();
  });

  it('does not fold twice what a stored message already holds, when its cursor is older (another tab wrote it)', async () => {
    const db = await ParleyDb.open(`parley-cache-held-${Date.now()}`);
    const reply = m({
      id: 'a-1',
      role: 'assistant',
      created_at: 5,
      text: 'Hello',
      state: 'streaming',
      epoch: 'e',
      seq: 5,
    });
    await putMessages(db, [reply]);
    const { cache } = testCache('c-1', db);
    cache.cursor = { epoch: 'e', seq: 3 };
    await cache.open();
    const ev = { chat_id: 'c-1', epoch: 'e', turn_id: 't', message_id: 'a-1' };
    cache.apply({ ...ev, type: 'delta', seq: 4, text: 'Hel' });
    cache.apply({ ...ev, type: 'delta', seq: 5, text: 'lo' });
    cache.apply({ ...ev, type: 'delta', seq: 6, text: ', world' });
    expect(cache.get('a-1')?.text).to.equal('Hello, world');
    db.close();
  });

  it('shows the newest page of a long chat before the whole history has loaded, then all of it', async () => {
    const db = await ParleyDb.open(`parley-cache-page-${Date.now()}`);
    const stored = Array.from({ length: 150 }, (_, i) =>
      m({ id: `m-${String(149 - i).padStart(3, '0')}`, role: i % 2 ? 'assistant' : 'user', created_at: 1000 + i }),
    );
    await putMessages(db, stored);
    let first: { ids: string[]; loaded: boolean } | undefined;
    const { cache } = testCache('c-1', db, {
      onFirstPage: (c) => (first ??= { ids: c.shown.map((x) => x.id), loaded: c.isLoaded }),
    });
    await cache.open();
    expect(first?.loaded).to.equal(false);
    expect(first?.ids).to.deep.equal(stored.slice(-60).map((x) => x.id));
    expect(cache.shown.map((x) => x.id)).to.deep.equal(stored.map((x) => x.id));
    db.close();
  });
});
