/** Search across every chat: right results (all words, last word as prefix, accents, titles first) over 10,000 messages. */

/// <reference types="mocha" />

import { putMessages, putSession } from '../test-support/db-writes.ts';
import { expect } from '@esm-bundle/chai';
import { ParleyDb } from './db.ts';
import { SearchIndex, tokenize } from './search-index.ts';
import type { LocalMessage, Session } from './types.ts';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

function session(i: number): Session {
  return { id: `c-${i}`, title: `Chat ${i}`, titled: true, pinned: false, created_at: 0, updated_at: i, preview: '' };
}

/** 50 chats × 200 messages; message n says WORDS[n % 10] and WORDS[(n / 10) % 10], and #4242 says "Zürich rendezvous". */
function corpus(): { sessions: Session[]; messages: LocalMessage[] } {
  const sessions = Array.from({ length: 50 }, (_, i) => session(i));
  const messages: LocalMessage[] = [];
  for (let n = 0; n < 10_000; n++) {
    const text =
      n === 4242
        ? 'Meet me in Zürich for the rendezvous.'
        : `Message ${n}: ${WORDS[n % 10]} and ${WORDS[Math.floor(n / 10) % 10]}.`;
    messages.push({
      chat_id: `c-${n % 50}`,
      id: `m${n}`,
      role: n % 2 ? 'assistant' : 'user',
      text,
      created_at: n,
      state: 'done',
    });
  }
  return { sessions, messages };
}

describe('SearchIndex', () => {
  it('finds exactly the messages with every word, the last one as a prefix, newest first, over 10,000 messages', async () => {
    const { sessions, messages } = corpus();
    const t0 = performance.now();
    const index = SearchIndex.from(sessions, messages);
    const built = performance.now() - t0;
    const t1 = performance.now();
    const hits = index.search('alpha char', 10_000);
    const searched = performance.now() - t1;
    // A note for docs, not an assertion: how long building and one query took here.
    console.info(`search-index: built 10,050 docs in ${built.toFixed(0)} ms; one query in ${searched.toFixed(1)} ms`);
    // The reference: a naive scan of every message's words.
    const expected = messages.filter((m) => {
      const words = tokenize(m.text);
      return words.includes('alpha') && words.some((w) => w.startsWith('char'));
    });
    expect(expected.length).to.equal(200);
    expect(hits.map((h) => h.message_id).sort()).to.deep.equal(expected.map((m) => m.id).sort());
    const times = hits.map((h) => h.created_at);
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    expect(index.search('alpha char').length).to.equal(50);
  });

  it('matches without accents or case and highlights the word in a snippet', () => {
    const { sessions, messages } = corpus();
    const index = SearchIndex.from(sessions, messages);
    const [hit, ...rest] = index.search('ZURICH');
    expect(rest).to.have.length(0);
    expect(hit?.message_id).to.equal('m4242');
    expect(hit?.chat_id).to.equal('c-42');
    expect(hit?.title).to.equal('Chat 42');
    expect(hit?.snippet.match).to.equal('Zürich');
    expect(`${hit?.snippet.before}${hit?.snippet.match}${hit?.snippet.after}`).to.contain('Meet me in Zürich');
  });

  it('cuts a long snippet between words and marks each cut with an ellipsis', () => {
    const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa';
    const text = `${words} quebec ${words} ${words} ${words}`;
    const long: LocalMessage = { chat_id: 'c-1', id: 'l1', role: 'user', text, created_at: 1, state: 'sent' };
    const [hit] = SearchIndex.from([session(1)], [long]).search('quebec');
    const { before, match, after } = hit?.snippet ?? { before: '', match: '', after: '' };
    expect(match).to.equal('quebec');
    expect(before.startsWith('…')).to.equal(true);
    expect(after.endsWith('…')).to.equal(true);
    const vocabulary = new Set(words.split(' '));
    // Every word shown, first and last included, is whole.
    const shown = `${before}${match}${after}`.replace(/…/g, '').trim().split(' ');
    for (const w of shown) expect(vocabulary.has(w) || w === 'quebec', w).to.equal(true);
  });

  it("shows an agent's markdown as plain words in a snippet", () => {
    const reply: LocalMessage = {
      chat_id: 'c-1',
      id: 'r1',
      role: 'assistant',
      text: '### You said\n\n> Plan a **kumquat** tasting with `notes`\n\n- one [link](https://example.com)\n\n| a | b |\n| --- | ---: |\n| 1 | 2 |',
      created_at: 1,
      state: 'done',
    };
    const [hit] = SearchIndex.from([session(1)], [reply]).search('kumquat');
    const shown = `${hit?.snippet.before}${hit?.snippet.match}${hit?.snippet.after}`;
    expect(shown).to.equal('You said Plan a kumquat tasting with notes one link a · b 1 · 2');
  });

  it('lists matching chat titles before messages, and nothing for an absent word', () => {
    const sessions = [{ ...session(1), title: 'Holiday plans' }, session(2)];
    const messages: LocalMessage[] = [
      { chat_id: 'c-2', id: 'x', role: 'user', text: 'no holiday this year', created_at: 99, state: 'sent' },
    ];
    const hits = SearchIndex.from(sessions, messages).search('holi');
    expect(hits.map((h) => [h.chat_id, h.message_id, h.role])).to.deep.equal([
      ['c-1', '', 'title'],
      ['c-2', 'x', 'user'],
    ]);
    expect(SearchIndex.from(sessions, messages).search('nowhere')).to.deep.equal([]);
    expect(SearchIndex.from(sessions, messages).search('  ')).to.deep.equal([]);
  });

  it('is built from what IndexedDB stores', async () => {
    const db = await ParleyDb.open(`parley-search-${Date.now()}`);
    await putSession(db, session(7));
    await putMessages(db, [
      { chat_id: 'c-7', id: 'q', role: 'assistant', text: 'The answer is 42', created_at: 1, state: 'done' },
    ]);
    const index = await SearchIndex.fromDb(db);
    expect(index.search('answer 42').map((h) => h.message_id)).to.deep.equal(['q']);
    expect(tokenize('Ça va, Émile?')).to.deep.equal(['ca', 'va', 'emile']);
    db.close();
  });
});
