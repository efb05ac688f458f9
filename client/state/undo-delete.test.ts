/** Deleting a message or a chat can be undone: everything comes back, in this tab and in the others. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { putAttachment, putDraft, putMessages } from '../test-support/db-writes.ts';
import { ChatStore } from './chat-store.ts';
import { ParleyDb } from './db.ts';
import { TabSync } from './tab-sync.ts';
import { until } from '../test-support/fake-relay.ts';
import type { LocalMessage } from './types.ts';

let n = 0;

/** Two tabs of one profile: a store each on the same database, told of each other's changes. */
async function twoTabs() {
  const name = `parley-undo-${Date.now()}-${n++}`;
  const channel = `${name}-tabs`;
  const tab = async () => {
    const db = await ParleyDb.open(name);
    const store = new ChatStore(db);
    await store.init();
    const hooks = { onDraft: () => {}, onOutbox: () => {}, onCleared: () => {} };
    return { db, store, tabs: new TabSync(store, hooks, channel) };
  };
  return [await tab(), await tab()] as const;
}

const file = { id: 'c-u/r1/0', name: 'a.txt', mime: 'text/plain', size: 1 };
const reply: LocalMessage = {
  chat_id: 'c-u',
  id: 'r1',
  role: 'assistant',
  text: 'keep me',
  created_at: 5,
  state: 'done',
  attachments: [file],
};

async function seed(store: ChatStore, db: ParleyDb): Promise<void> {
  await store.createSession('c-u', 'Undo me');
  await putMessages(db, [reply]);
  await putAttachment(db, { ...file, chat_id: 'c-u', blob: new Blob(['x']) });
  await store.setMessagePinned('c-u', 'r1', true);
}

describe('undo of deletes', () => {
  it('puts a deleted message back with its pin and file, here and in another tab, and it stays', async () => {
    const [a, b] = await twoTabs();
    await seed(a.store, a.db);
    await a.store.chat('c-u').open();
    await b.store.chat('c-u').open();
    await until(() => b.store.chat('c-u').pins.has('r1'), 'the pin in the other tab');

    const undo = await a.store.deleteMessage('c-u', 'r1');
    await until(() => b.store.chat('c-u').get('r1') === undefined, 'the deletion in the other tab');
    expect(await a.db.getAttachment(file.id)).to.equal(undefined);
    if (!undo) throw new Error('no undo');
    await undo();
    expect(a.store.chat('c-u').messages.map((m) => m.text)).to.deep.equal(['keep me']);
    expect(a.store.chat('c-u').pins.has('r1')).to.equal(true);
    await until(() => b.store.chat('c-u').get('r1') !== undefined, 'the message back in the other tab');
    await until(() => b.store.chat('c-u').pins.has('r1'), 'the pin back in the other tab');
    // A later write of this chat does not delete it again.
    await a.store.data.flush();
    expect((await a.db.loadMessages('c-u')).map((m) => m.id)).to.deep.equal(['r1']);
    expect(await (await a.db.getAttachment(file.id))?.blob.text()).to.equal('x');
    for (const t of [a, b]) t.tabs.close();
  });

  it('puts a deleted chat back with its messages, pins and files, here and in another tab', async () => {
    const [a, b] = await twoTabs();
    await seed(a.store, a.db);
    await putDraft(a.db, 'c-u', 'half written');
    await until(() => b.store.session('c-u') !== undefined, 'the chat in the other tab');

    const undo = await a.store.deleteSession('c-u');
    await until(() => b.store.session('c-u') === undefined, 'the deletion in the other tab');
    if (!undo) throw new Error('no undo');
    await undo();
    expect(a.store.session('c-u')?.title).to.equal('Undo me');
    await until(() => b.store.session('c-u')?.title === 'Undo me', 'the chat back in the other tab');
    await a.store.chat('c-u').open();
    expect(a.store.chat('c-u').messages.map((m) => m.id)).to.deep.equal(['r1']);
    expect(a.store.chat('c-u').pins.has('r1')).to.equal(true);
    expect((await a.db.getDraft('c-u'))?.text).to.equal('half written');
    expect(await (await a.db.getAttachment(file.id))?.blob.text()).to.equal('x');
    for (const t of [a, b]) t.tabs.close();
  });
});
