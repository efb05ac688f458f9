/** Files from an agent that reuses one attachment id everywhere (the demo's `/image`): each message keeps its own. */

/// <reference types="mocha" />
import { putSession, testCache } from '../test-support/db-writes.ts';
import { expect } from '@esm-bundle/chai';
import type { ChatEvent } from '../../shared/index.ts';
import { ParleyDb } from './db.ts';
import { buildExport, importExport } from './export-import.ts';

let n = 0;
const open = () => ParleyDb.open(`parley-files-${Date.now()}-${n++}`);

/** A finished reply carrying one image under the id the demo agent always uses. */
function imageReply(chatId: string, messageId: string, seq: number, bytes: number[]): ChatEvent {
  const data = btoa(String.fromCharCode(...bytes));
  return {
    type: 'message',
    chat_id: chatId,
    epoch: 'e1',
    seq,
    message: {
      id: messageId,
      role: 'assistant',
      text: 'Here is an image',
      created_at: 1000 + seq,
      status: 'done',
      attachments: [{ id: 'demo-image', name: 'parley-demo.png', mime: 'image/png', size: bytes.length, data }],
    },
  };
}

async function receive(db: ParleyDb, chatId: string, events: ChatEvent[]): Promise<void> {
  const { cache, data } = testCache(chatId, db);
  await cache.open();
  for (const e of events) cache.apply(e);
  await data.flush();
  const now = Date.now();
  await putSession(db, {
    id: chatId,
    title: chatId,
    titled: true,
    pinned: false,
    created_at: now,
    updated_at: now,
    preview: '',
  });
}

async function fileBytes(db: ParleyDb, chatId: string): Promise<number[][]> {
  const out: number[][] = [];
  for (const m of await db.loadMessages(chatId)) {
    for (const a of m.attachments ?? []) {
      const stored = await db.getAttachment(a.id);
      out.push(stored ? [...new Uint8Array(await stored.blob.arrayBuffer())] : []);
    }
  }
  return out;
}

describe('files per message', () => {
  it('keeps each chat its own file when an agent sends the same attachment id to two chats', async () => {
    const db = await open();
    await receive(db, 'c-first', [imageReply('c-first', 'r1', 1, [1, 1, 1])]);
    await receive(db, 'c-second', [imageReply('c-second', 'r1', 1, [2, 2])]);
    expect(await fileBytes(db, 'c-first')).to.deep.equal([[1, 1, 1]]);
    expect(await fileBytes(db, 'c-second')).to.deep.equal([[2, 2]]);

    // Exporting one chat, or all of them, carries every file; importing the export elsewhere finds them all.
    for (const ids of [['c-first'], undefined]) {
      const json = JSON.stringify(await buildExport(db, ids));
      const target = await open();
      const result = await importExport(target, json);
      expect(result.chats.length).to.equal(ids ? 1 : 2);
      expect(await fileBytes(target, 'c-first')).to.deep.equal([[1, 1, 1]]);
      target.close();
    }

    // Deleting the newer chat leaves the older one's file in place.
    await db.deleteSession('c-second');
    expect(await fileBytes(db, 'c-first')).to.deep.equal([[1, 1, 1]]);
    db.close();
  });

  it('keeps two messages of one chat apart too, and deleting one message leaves the other its file', async () => {
    const db = await open();
    await receive(db, 'c-one', [imageReply('c-one', 'r1', 1, [7]), imageReply('c-one', 'r2', 2, [8, 8])]);
    expect(await fileBytes(db, 'c-one')).to.deep.equal([[7], [8, 8]]);
    await db.deleteMessage('c-one', 'r2');
    expect(await fileBytes(db, 'c-one')).to.deep.equal([[7]]);
    db.close();
  });
});
