/** Export and import: lossless round trip with files, Markdown, idempotent re-import, bad files refused with nothing changed. */

/// <reference types="mocha" />

import { putAttachment, putMessages, putSession } from '../test-support/db-writes.ts';
import { expect } from '@esm-bundle/chai';
import { ParleyDb } from './db.ts';
import { buildExport, importExport, localTime, shareEntries, toMarkdown } from './export-import.ts';
import { toFrame } from './outbox.ts';
import type { LocalMessage, Session } from './types.ts';

let n = 0;
const open = () => ParleyDb.open(`parley-export-${Date.now()}-${n++}`);

const session: Session = {
  id: 'c-trip',
  title: 'Trip',
  titled: true,
  pinned: true,
  created_at: 1,
  // A live reply sits half a millisecond after the message it follows (relay time), and the session follows it.
  updated_at: 2.5,
  preview: 'x',
};
const messages: LocalMessage[] = [
  {
    chat_id: 'c-trip',
    id: 'u1',
    client_msg_id: 'u1',
    role: 'user',
    text: 'Here is the map',
    created_at: 2,
    state: 'sent',
    attachments: [{ id: 'c-trip/u1/0', name: 'map.png', mime: 'image/png', size: 4 }],
    epoch: 'e1',
    seq: 1,
  },
  {
    chat_id: 'c-trip',
    id: 'r1',
    role: 'assistant',
    text: 'Nice **map**',
    created_at: 2.5,
    state: 'done',
    reasoning: 'look at it',
    tools: [{ call_id: 't1', name: 'zoom', arguments: '{"x":1}', output: 'ok', result: 'done', status: 'done' }],
    buttons: [[{ id: 'yes', label: 'Yes' }]],
    used_actions: ['yes'],
    edited_at: 4,
    requests: [
      {
        kind: 'approval',
        id: 'ap1',
        tool: 'rm',
        call_id: 'c1',
        arguments: '{}',
        answer: { kind: 'approval', decision: 'deny', reason: 'no' },
        answered_by: { client_id: 'tab-1', device: 'Firefox on Android' },
        answered_at: 5,
      },
    ],
  },
  { chat_id: 'c-trip', id: 'u2', client_msg_id: 'u2', role: 'user', text: 'queued', created_at: 6, state: 'pending' },
];

async function seeded(): Promise<ParleyDb> {
  const db = await open();
  await putSession(db, session);
  await putMessages(db, messages);
  await putAttachment(db, {
    id: 'c-trip/u1/0',
    name: 'map.png',
    mime: 'image/png',
    size: 4,
    chat_id: 'c-trip',
    blob: new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }),
  });
  await db.setPinned('c-trip', 'r1', true);
  return db;
}

async function snapshot(db: ParleyDb) {
  const file = await buildExport(db, undefined, 0);
  return JSON.stringify(file);
}

describe('export and import', () => {
  it('round-trips chats, messages, pins and files into another database, and adds nothing the second time', async () => {
    const source = await seeded();
    const json = JSON.stringify(await buildExport(source, ['c-trip']));
    const target = await open();
    const first = await importExport(target, json);
    expect(first).to.deep.equal({ chats: ['c-trip'], added: 3 });
    expect(await target.getSession('c-trip')).to.deep.equal(session);
    const stored = await target.loadMessages('c-trip');
    expect(stored.slice(0, 2)).to.deep.equal(messages.slice(0, 2));
    // A message not yet sent when exported cannot be sent from here without the user saying so.
    expect(stored[2]?.state).to.equal('failed');
    expect((await target.listPins('c-trip')).map((p) => p.message_id)).to.deep.equal(['r1']);
    const file = await target.getAttachment('c-trip/u1/0');
    expect([...new Uint8Array((await file?.blob.arrayBuffer()) ?? new ArrayBuffer(0))]).to.deep.equal([
      137, 80, 78, 71,
    ]);
    expect(file?.blob.type).to.equal('image/png');

    const before = await snapshot(target);
    expect(await importExport(target, json)).to.deep.equal({ chats: ['c-trip'], added: 0 });
    expect(await snapshot(target)).to.equal(before);
    source.close();
    target.close();
  });

  it('keeps every version of a message and what each answers or follows', async () => {
    const source = await open();
    const chat = { ...session, id: 'c-versions' };
    const at = (id: string, created_at: number, extra: Partial<LocalMessage>): LocalMessage => ({
      chat_id: 'c-versions',
      id,
      role: 'assistant',
      text: id,
      created_at,
      state: 'done',
      ...extra,
    });
    const versioned = [
      at('q', 1, { role: 'user', state: 'sent' }),
      at('a', 2, { reply_to: 'q' }),
      at('b', 3, { reply_to: 'q', version_of: 'a' }),
      at('q2', 4, { role: 'user', state: 'sent', reply_to: 'a' }),
      at('q2b', 5, { role: 'user', state: 'sent', version_of: 'q2' }),
    ];
    await putSession(source, chat);
    await putMessages(source, versioned);
    const target = await open();
    await importExport(target, JSON.stringify(await buildExport(source, ['c-versions'])));
    expect(await target.loadMessages('c-versions')).to.deep.equal(versioned);
    source.close();
    target.close();
  });

  it('queues what an import added for the relay, in its own transaction, and sends it with its files', async () => {
    const source = await seeded();
    const json = JSON.stringify(await buildExport(source, ['c-trip']));
    const target = await open();
    await importExport(target, json);
    const queued = await target.listOutbox();
    // The message that had not been sent when exported stays here; the others are shared.
    expect(queued.map((e) => (e.kind === 'import' ? e.message_ids : e.kind))).to.deep.equal([['u1', 'r1']]);
    const [entry] = queued;
    if (!entry) throw new Error('nothing queued');
    const frame = await toFrame(entry, target, [], 'another-relay');
    if (frame.type !== 'import') throw new Error(`not an import frame: ${frame.type}`);
    expect(frame.messages.map((m) => m.id)).to.deep.equal(['u1', 'r1']);
    expect(frame.messages[0]?.attachments?.[0]).to.include({ id: 'u1.0', name: 'map.png', data: 'iVBORw==' });
    expect(frame.messages[1]?.status).to.equal('done');
    expect(frame.messages.some((m) => 'state' in m || 'chat_id' in m || 'epoch' in m)).to.equal(false);
    // u1 is stamped by this very relay (epoch e1): it has it, so only r1 goes.
    const own = await toFrame(entry, target, [], 'e1');
    expect(own.type === 'import' && own.messages.map((m) => m.id)).to.deep.equal(['r1']);
    // Imported again: nothing new, nothing more queued.
    await importExport(target, json);
    expect(await target.listOutbox()).to.have.length(1);
    source.close();
    target.close();
  });

  it('shares a long import in batches of at most IMPORT_BATCH messages, oldest first', () => {
    const many: LocalMessage[] = Array.from({ length: 250 }, (_, i) => ({
      chat_id: 'c-big',
      id: `b${i}`,
      role: 'user',
      text: 'x',
      created_at: 1000 - i,
      state: 'sent',
    }));
    const entries = shareEntries('c-big', many, 5);
    expect(entries.map((e) => (e.kind === 'import' ? e.message_ids.length : 0))).to.deep.equal([100, 100, 50]);
    const first = entries[0];
    expect(first?.kind === 'import' && first.message_ids[0]).to.equal('b249');
  });

  it('writes a readable Markdown transcript', async () => {
    const db = await seeded();
    const md = toMarkdown(await buildExport(db));
    expect(md).to.contain('# Trip');
    expect(md).to.contain('Here is the map');
    expect(md).to.contain('📎 map.png');
    expect(md).to.contain('**Tool `zoom`** (done)');
    // The pin is inside the heading, so the heading stays a heading.
    expect(md).to.contain('### 📌 Agent');
    expect(md).to.contain('[Yes]');
    db.close();
  });

  it("writes times in the reader's local time with its UTC offset, which names the same instant", () => {
    const at = Date.UTC(2025, 4, 1, 12, 34);
    const shown = localTime(at);
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC([+-]\d{2}:\d{2})$/.exec(shown);
    expect(m, shown).to.not.equal(null);
    expect(new Date(`${m?.[1]}T${m?.[2]}:00${m?.[3]}`).getTime()).to.equal(at);
    const hours = String(new Date(at).getHours()).padStart(2, '0');
    expect(m?.[2]).to.equal(`${hours}:34`);
  });

  it('refuses a bad file with a clear reason and leaves existing data untouched', async () => {
    const db = await seeded();
    const good = JSON.parse(JSON.stringify(await buildExport(db))) as {
      chats: { messages: unknown[]; attachments: unknown[] }[];
    };
    const before = await snapshot(db);
    const broken = (edit: (f: typeof good) => void) => {
      const copy = structuredClone(good);
      edit(copy);
      return JSON.stringify(copy);
    };
    const cases: [string, RegExp][] = [
      ['{ not json', /not JSON/],
      ['{"format":"something-else"}', /not a Parley export/],
      ['{"format":"parley-export","version":9,"chats":[]}', /version 9/],
      [broken((f) => (f.chats[0]!.attachments = [])), /map\.png is missing/],
      [broken((f) => f.chats[0]!.messages.push({ id: 'm', role: 'robot' })), /damaged/],
      [
        broken((f) => f.chats[0]!.messages.push({ ...(f.chats[0]!.messages[0] as object), created_at: '2 pm' })),
        /time/,
      ],
      [
        broken((f) =>
          f.chats[0]!.messages.push({ ...(f.chats[0]!.messages[0] as object), chat_id: 'c-other', id: 'zz' }),
        ),
        /chat's id/,
      ],
    ];
    for (const [text, reason] of cases) {
      let error = '';
      await importExport(db, text).catch((e: unknown) => (error = e instanceof Error ? e.message : String(e)));
      expect(error, text.slice(0, 60)).to.match(reason);
      expect(await snapshot(db)).to.equal(before);
    }
    db.close();
  });
});
