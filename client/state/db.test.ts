/** The database is what survives a reload: writes must converge across tabs, and failures must be explained. */

/// <reference types="mocha" />

import {
  dequeue,
  enqueue,
  getResume,
  putAttachment,
  putDraft,
  putMessages,
  putSession,
} from '../test-support/db-writes.ts';
import { expect } from '@esm-bundle/chai';
import { openDB } from 'idb';
import { UPGRADES, type ParleySchema } from './db-schema.ts';
import { DB_VERSION, emptyBatch, ParleyDb } from './db.ts';
import { toStorageError } from './storage-error.ts';
import type { LocalMessage } from './types.ts';

let n = 0;
const names: string[] = [];
async function fresh(): Promise<ParleyDb> {
  const name = `parley-test-${Date.now()}-${n++}`;
  names.push(name);
  return ParleyDb.open(name);
}

const msg = (over: Partial<LocalMessage>): LocalMessage => ({
  chat_id: 'c-1',
  id: 'm1',
  role: 'assistant',
  text: '',
  created_at: 1,
  state: 'streaming',
  ...over,
});

/** A database as version 1 of the app left it (with one chat), opened without a versionchange handler. */
function openV1(name: string): Promise<IDBDatabase> {
  return openOld(name, 1);
}

/**
 * A database as version 1, 2 or 3 of the app left it (version 2 adds two indexes, and here three messages;
 * version 3 an index, and here files stored by the sender's id: two chats share the demo's `demo-image`).
 */
function openOld(name: string, version: 1 | 2 | 3): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('sessions', { keyPath: 'id' });
      db.createObjectStore('messages', { keyPath: ['chat_id', 'id'] }).createIndex('by-chat', 'chat_id');
      db.createObjectStore('pins', { keyPath: ['chat_id', 'message_id'] }).createIndex('by-chat', 'chat_id');
      db.createObjectStore('attachments', { keyPath: 'id' }).createIndex('by-chat', 'chat_id');
      db.createObjectStore('drafts', { keyPath: 'chat_id' });
      const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      outbox.createIndex('by-client-msg', 'client_msg_id', { unique: true });
      db.createObjectStore('resume', { keyPath: 'chat_id' });
      db.createObjectStore('settings');
      const session = {
        id: 'old',
        title: 'Old chat',
        titled: true,
        pinned: false,
        created_at: 1,
        updated_at: 1,
        preview: '',
      };
      req.transaction?.objectStore('sessions').put(session);
      if (version === 1) return;
      req.transaction?.objectStore('sessions').createIndex('by-updated', 'updated_at');
      req.transaction?.objectStore('outbox').createIndex('by-chat', 'chat_id');
      const messages = req.transaction?.objectStore('messages');
      // Ids out of time order: the newest page must follow relay time, not the key.
      messages?.put(msg({ chat_id: 'old', id: 'a', created_at: 30, state: 'done' }));
      messages?.put(msg({ chat_id: 'old', id: 'b', created_at: 10, state: 'done' }));
      messages?.put(msg({ chat_id: 'old', id: 'c', created_at: 20, state: 'done' }));
      messages?.put(msg({ chat_id: 'other', id: 'z', created_at: 99, state: 'done' }));
      if (version === 2) return;
      messages?.createIndex('by-chat-time', ['chat_id', 'created_at']);
      const image = { id: 'demo-image', name: 'parley-demo.png', mime: 'image/png', size: 2 };
      messages?.put(msg({ chat_id: 'old', id: 'img1', created_at: 40, state: 'done', attachments: [image] }));
      messages?.put(msg({ chat_id: 'other', id: 'img2', created_at: 100, state: 'done', attachments: [image] }));
      const files = req.transaction?.objectStore('attachments');
      files?.put({ ...image, chat_id: 'other', blob: new Blob([new Uint8Array([9, 9])], { type: 'image/png' }) });
      const file = { id: 'a-1', name: 'n.txt', mime: 'text/plain', size: 1 };
      messages?.put(
        msg({
          chat_id: 'old',
          id: 'q1',
          client_msg_id: 'q1',
          role: 'user',
          created_at: 50,
          state: 'pending',
          attachments: [file],
        }),
      );
      files?.put({ ...file, chat_id: 'old', blob: new Blob(['n']) });
      req.transaction
        ?.objectStore('outbox')
        .add({ kind: 'send', chat_id: 'old', client_msg_id: 'q1', text: '', attachment_ids: ['a-1'], created_at: 50 });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

after(async () => {
  for (const name of names) indexedDB.deleteDatabase(name);
});

describe('ParleyDb', () => {
  it('upserts by id and never lets an older event overwrite a newer one (two tabs writing the same stream)', async () => {
    const db = await fresh();
    await putMessages(db, [msg({ text: 'Hello wor', epoch: 'e1', seq: 9 })]);
    await putMessages(db, [msg({ text: 'Hello', epoch: 'e1', seq: 5 })]);
    let [stored] = await db.loadMessages('c-1');
    expect(stored?.text).to.equal('Hello wor');
    await putMessages(db, [msg({ text: 'Hello world', epoch: 'e1', seq: 12, state: 'done' })]);
    await putMessages(db, [msg({ text: 'Hello world', epoch: 'e1', seq: 12, state: 'done' })]);
    const all = await db.loadMessages('c-1');
    expect(all.length).to.equal(1);
    [stored] = all;
    expect(stored?.state).to.equal('done');
    db.close();
  });

  it('moves the resume point forward only, and restarts it for a new relay epoch', async () => {
    const db = await fresh();
    await putMessages(db, [], { chat_id: 'c-1', epoch: 'e1', seq: 10 });
    await putMessages(db, [], { chat_id: 'c-1', epoch: 'e1', seq: 4 });
    expect((await getResume(db, 'c-1'))?.seq).to.equal(10);
    await putMessages(db, [], { chat_id: 'c-1', epoch: 'e2', seq: 2 });
    expect(await getResume(db, 'c-1')).to.deep.equal({ chat_id: 'c-1', epoch: 'e2', seq: 2 });
    db.close();
  });

  it('keeps the outbox in write order; a requeue goes first and ignores a second copy of the same message', async () => {
    const db = await fresh();
    const entry = (id: string) => ({
      kind: 'send' as const,
      chat_id: 'c-1',
      client_msg_id: id,
      text: id,
      attachment_ids: [],
      created_at: 0,
    });
    for (const id of ['a', 'b', 'c']) await enqueue(db, entry(id));
    expect((await db.listOutbox()).map((e) => e.client_msg_id)).to.deep.equal(['a', 'b', 'c']);
    await db.enqueueFirst([entry('z'), entry('a')]);
    expect((await db.listOutbox()).map((e) => e.client_msg_id)).to.deep.equal(['z', 'a', 'b', 'c']);
    await dequeue(db, 'b');
    expect((await db.listOutbox()).map((e) => e.client_msg_id)).to.deep.equal(['z', 'a', 'c']);
    db.close();
  });

  it('writes a change to a delivered message only over a stored copy, so a reply another tab removed stays removed', async () => {
    const db = await fresh();
    const reply: LocalMessage = {
      chat_id: 'c-1',
      id: 'r1',
      role: 'assistant',
      text: 'Half',
      created_at: 2,
      state: 'streaming',
      epoch: 'e1',
      seq: 4,
    };
    await putMessages(db, [reply]);
    // Another tab replaced the cut-off reply (deleted it); this tab, late, marks it cut off.
    await putMessages(db, [], undefined, [['c-1', 'r1']]);
    const cut = { ...reply, state: 'error' as const, interrupted: true };
    await db.commit({ ...emptyBatch(), updates: [cut] });
    expect(await db.getMessage('c-1', 'r1')).to.equal(undefined);
    // Still stored, it is updated.
    await putMessages(db, [reply]);
    await db.commit({ ...emptyBatch(), updates: [cut] });
    expect((await db.getMessage('c-1', 'r1'))?.state).to.equal('error');
    db.close();
  });

  it('drops, once, a local copy stored beside the relay copy that renamed it under protocol 1', async () => {
    const name = `parley-v4-${Date.now()}`;
    // A database as protocol 1 left it: version 4, the pending copy and the relay's renamed copy both stored.
    const old = await openDB<ParleySchema>(name, 4, {
      upgrade(database, oldVersion, _v, tx) {
        for (let v = oldVersion; v < 4; v++) UPGRADES[v]?.(database, tx);
      },
    });
    const base = { chat_id: 'c-1', role: 'user' as const, text: 'hi', created_at: 5 };
    await old.put('messages', { ...base, id: 'm-1', client_msg_id: 'm-1', state: 'pending' });
    await old.put('messages', { ...base, id: 'u-9', client_msg_id: 'm-1', state: 'sent', epoch: 'e', seq: 1 });
    await old.put('messages', { ...base, chat_id: 'c-2', id: 'm-1', client_msg_id: 'm-1', state: 'pending' });
    old.close();
    const db = await ParleyDb.open(name);
    expect((await db.loadMessages('c-1')).map((m) => m.id)).to.deep.equal(['u-9']);
    // The same id in another chat is another message.
    expect((await db.loadMessages('c-2')).map((m) => m.id)).to.deep.equal(['m-1']);
    db.close();
  });

  it('upgrades a version-5 database with a workspace store that merges what tabs write to it', async () => {
    const name = `parley-v5-${Date.now()}`;
    names.push(name);
    const old = await openDB<ParleySchema>(name, 5, {
      upgrade(database, oldVersion, _v, tx) {
        for (let v = oldVersion; v < 5; v++) UPGRADES[v]?.(database, tx);
      },
    });
    const session = { id: 'c-1', title: 'Kept', titled: true, pinned: true, created_at: 1, updated_at: 2, preview: '' };
    await old.put('sessions', session);
    old.close();
    const db = await ParleyDb.open(name);
    expect(await db.listSessions()).to.deep.equal([session]);
    expect(await db.listWorkspace()).to.deep.equal([]);
    // Two tabs write fields of one record: each keeps the newer of every field, whichever lands last.
    const at = (wall: number) => `${String(wall).padStart(15, '0')}.000000.n`;
    const one = { chat: 'c-1', fields: { title: { value: 'A', at: at(5) }, pinned: { value: true, at: at(1) } } };
    const two = { chat: 'c-1', fields: { title: { value: 'B', at: at(3) }, pinned: { value: false, at: at(4) } } };
    await db.commit({ ...emptyBatch(), workspace: [one] });
    await db.commit({ ...emptyBatch(), workspace: [two] });
    expect(await db.listWorkspace()).to.deep.equal([
      { chat: 'c-1', fields: { title: { value: 'A', at: at(5) }, pinned: { value: false, at: at(4) } } },
    ]);
    db.close();
  });

  it('deletes a chat with its messages, pins, draft, attachments and queued sends, and nothing else', async () => {
    const db = await fresh();
    const now = Date.now();
    for (const id of ['c-1', 'c-2']) {
      await putSession(db, {
        id,
        title: id,
        titled: false,
        pinned: false,
        created_at: now,
        updated_at: now,
        preview: '',
      });
      await putMessages(db, [msg({ chat_id: id })]);
      await db.setPinned(id, 'm1', true);
      await putDraft(db, id, 'draft');
      await putAttachment(db, {
        id: `a-${id}`,
        chat_id: id,
        name: 'x.txt',
        mime: 'text/plain',
        size: 1,
        blob: new Blob(['x']),
      });
      await enqueue(db, {
        kind: 'send',
        chat_id: id,
        client_msg_id: `q-${id}`,
        text: 'q',
        attachment_ids: [],
        created_at: 0,
      });
    }
    await db.deleteSession('c-1');
    expect((await db.listSessions()).map((s) => s.id)).to.deep.equal(['c-2']);
    expect(await db.loadMessages('c-1')).to.deep.equal([]);
    expect(await db.listPins('c-1')).to.deep.equal([]);
    expect(await db.getDraft('c-1')).to.equal(undefined);
    expect(await db.getAttachment('a-c-1')).to.equal(undefined);
    expect((await db.listOutbox()).map((e) => e.chat_id)).to.deep.equal(['c-2']);
    expect((await db.loadMessages('c-2')).length).to.equal(1);
    expect(await (await db.getAttachment('a-c-2'))?.blob.text()).to.equal('x');
    db.close();
  });

  it('stores attachments as Blobs and empty drafts as nothing', async () => {
    const db = await fresh();
    await putAttachment(db, {
      id: 'a1',
      chat_id: 'c',
      name: 'p.png',
      mime: 'image/png',
      size: 3,
      blob: new Blob([new Uint8Array([1, 2, 3])]),
    });
    const a = await db.getAttachment('a1');
    expect(a?.blob).to.be.instanceOf(Blob);
    expect(a?.blob.size).to.equal(3);
    await putDraft(db, 'c', 'x');
    await putDraft(db, 'c', '');
    expect(await db.getDraft('c')).to.equal(undefined);
    db.close();
  });

  it('clears everything on request', async () => {
    const db = await fresh();
    await db.putSettings({ relayUrl: 'wss://r', token: 't', tokenUrl: '', theme: 'dark' });
    await putMessages(db, [msg({})]);
    await db.clearAll();
    expect(await db.loadMessages('c-1')).to.deep.equal([]);
    expect((await db.getSettings()).theme).to.equal('system');
    db.close();
  });

  it('upgrades a version-1 database in place, keeping its data', async () => {
    const name = `parley-upgrade-${Date.now()}`;
    names.push(name);
    (await openV1(name)).close();
    const db = await ParleyDb.open(name);
    expect((await db.listSessions()).map((s) => s.title)).to.deep.equal(['Old chat']);
    expect(DB_VERSION).to.be.greaterThan(1);
    db.close();
  });

  it("upgrades a version-2 database so a chat's newest messages can be read without the rest", async () => {
    const name = `parley-upgrade-v2-${Date.now()}`;
    names.push(name);
    (await openOld(name, 2)).close();
    const db = await ParleyDb.open(name);
    expect((await db.loadLatestMessages('old', 2)).map((m) => m.id)).to.deep.equal(['c', 'a']);
    expect((await db.loadLatestMessages('old', 60)).map((m) => m.id)).to.deep.equal(['b', 'c', 'a']);
    expect((await db.loadMessages('old')).map((m) => m.id)).to.deep.equal(['b', 'c', 'a']);
    expect((await db.listSessions()).map((s) => s.title)).to.deep.equal(['Old chat']);
    await putMessages(db, [msg({ chat_id: 'old', id: 'd', created_at: 40, state: 'done' })]);
    expect((await db.loadLatestMessages('old', 1)).map((m) => m.id)).to.deep.equal(['d']);
    db.close();
  });

  it('upgrades a version-3 database so chats that shared one file id each keep the file, and queued sends find theirs', async () => {
    const name = `parley-upgrade-v3-${Date.now()}`;
    names.push(name);
    (await openOld(name, 3)).close();
    const db = await ParleyDb.open(name);
    const bytes = async (chatId: string, id: string) => {
      const m = (await db.loadMessages(chatId)).find((x) => x.id === id);
      const stored = m?.attachments?.[0] && (await db.getAttachment(m.attachments[0].id));
      return stored ? [...new Uint8Array(await stored.blob.arrayBuffer())] : [];
    };
    expect(await bytes('old', 'img1')).to.deep.equal([9, 9]);
    expect(await bytes('other', 'img2')).to.deep.equal([9, 9]);
    // Deleting one chat no longer takes the other's file with it.
    await db.deleteSession('other');
    expect(await bytes('old', 'img1')).to.deep.equal([9, 9]);
    const [entry] = await db.listOutbox();
    const queued = entry?.kind === 'send' ? await db.getAttachment(entry.attachment_ids[0] ?? '') : undefined;
    expect(await queued?.blob.text()).to.equal('n');
    expect(await bytes('old', 'q1')).to.deep.equal([110]);
    db.close();
  });

  it('reports a blocked upgrade when another tab keeps the old version open', async () => {
    const name = `parley-blocked-${Date.now()}`;
    names.push(name);
    const old = await openV1(name);
    let blocked = false;
    const opening = ParleyDb.open(name, { onBlocked: () => (blocked = true) });
    await new Promise((r) => setTimeout(r, 100));
    expect(blocked).to.equal(true);
    old.close();
    const db = await opening;
    expect((await db.listSessions()).length).to.equal(1);
    db.close();
  });

  it('explains a full disk in words a user can act on', () => {
    const err = toStorageError(new DOMException('quota', 'QuotaExceededError'), 'write');
    expect(err.kind).to.equal('quota');
    expect(err.message).to.match(/storage is full/i);
    expect(toStorageError(new DOMException('nope', 'SecurityError'), 'open').kind).to.equal('unavailable');
  });
});
