/** Full-text search over every chat on this device (titles and message text): an in-memory token index built from IndexedDB. */

import type { DbReader } from './db.ts';
import type { LocalMessage, Session } from './types.ts';
import { markdownToPlain } from '../markdown/plain-text.ts';

export interface SearchHit {
  chat_id: string;
  /** The matching message, or '' when the chat's title matched. */
  message_id: string;
  title: string;
  role: LocalMessage['role'] | 'title';
  created_at: number;
  /** The text around the first match, split so the match can be highlighted without markup. */
  snippet: { before: string; match: string; after: string };
}

interface Doc {
  chat_id: string;
  message_id: string;
  role: SearchHit['role'];
  text: string;
  created_at: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const SNIPPET_CHARS = 140;

/** Lower-case words without accents, so "Café" is found by "cafe". */
export function tokenize(text: string): string[] {
  return (text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(WORD) ?? []).filter((t) => t.length > 0);
}

/** At most `max` characters of `text`, cut after a whole word (unless one word is most of it), with "…" if cut. */
function clipEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max);
  return `${text.slice(0, space > max / 2 ? space : max).trimEnd()}…`;
}

function snippetOf(text: string, terms: string[]): SearchHit['snippet'] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const folded = flat.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  // Folding can change lengths (ligatures); only trust positions when it did not.
  const at =
    folded.length === flat.length ? Math.min(...terms.map((t) => folded.indexOf(t)).filter((i) => i >= 0)) : -1;
  if (!Number.isFinite(at) || at < 0) return { before: '', match: '', after: clipEnd(flat, SNIPPET_CHARS) };
  const term = terms.find((t) => folded.startsWith(t, at)) ?? '';
  // Up to 40 characters of context before the match, starting at a word.
  let start = Math.max(0, at - 40);
  if (start > 0) {
    const space = flat.indexOf(' ', start - 1);
    start = space >= 0 && space < at ? space + 1 : start;
  }
  const end = at + term.length;
  return {
    before: (start > 0 ? '…' : '') + flat.slice(start, at),
    match: flat.slice(at, end),
    after: clipEnd(flat.slice(end), SNIPPET_CHARS - (at - start)),
  };
}

/**
 * Word → documents containing it, plus the sorted vocabulary so the last word typed matches as a prefix
 * (binary search, then a short scan). A query costs the words it touches, not the size of the history.
 */
export class SearchIndex {
  private docs: Doc[] = [];
  private postings = new Map<string, number[]>();
  private vocabulary: string[] = [];
  private titles = new Map<string, string>();

  get size(): number {
    return this.docs.length;
  }

  /** Reads every session and message from the database and indexes them. */
  static async fromDb(db: DbReader): Promise<SearchIndex> {
    const [sessions, messages] = await Promise.all([db.listSessions(), db.allMessages()]);
    return SearchIndex.from(sessions, messages);
  }

  static from(sessions: Session[], messages: LocalMessage[]): SearchIndex {
    const index = new SearchIndex();
    for (const s of sessions) {
      index.titles.set(s.id, s.title);
      index.add({ chat_id: s.id, message_id: '', role: 'title', text: s.title, created_at: s.updated_at });
    }
    for (const m of messages) {
      index.add({ chat_id: m.chat_id, message_id: m.id, role: m.role, text: m.text, created_at: m.created_at });
    }
    index.vocabulary = [...index.postings.keys()].sort();
    return index;
  }

  private add(doc: Doc): void {
    const n = this.docs.push(doc) - 1;
    for (const t of new Set(tokenize(doc.text))) {
      const list = this.postings.get(t);
      if (list) list.push(n);
      else this.postings.set(t, [n]);
    }
  }

  /** Documents with a word starting with `prefix`. */
  private withPrefix(prefix: string): Set<number> {
    const out = new Set<number>();
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.vocabulary[mid] ?? '') < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.vocabulary.length; i++) {
      const word = this.vocabulary[i] ?? '';
      if (!word.startsWith(prefix)) break;
      for (const d of this.postings.get(word) ?? []) out.add(d);
    }
    return out;
  }

  /** Chats' titles and messages containing every word of `query` (each word as a prefix): titles first, then newest. */
  search(query: string, limit = 50): SearchHit[] {
    const terms = [...new Set(tokenize(query))];
    if (!terms.length) return [];
    const sets = terms.map((t) => this.withPrefix(t)).sort((a, b) => a.size - b.size);
    const [first, ...rest] = sets;
    const found = [...(first ?? [])].filter((d) => rest.every((s) => s.has(d)));
    const docs = found.map((d) => this.docs[d]).filter((d) => d !== undefined);
    docs.sort((a, b) => Number(b.role === 'title') - Number(a.role === 'title') || b.created_at - a.created_at);
    return docs.slice(0, limit).map((d) => ({
      chat_id: d.chat_id,
      message_id: d.message_id,
      title: this.titles.get(d.chat_id) ?? 'Untitled chat',
      role: d.role,
      created_at: d.created_at,
      snippet: snippetOf(d.role === 'assistant' ? markdownToPlain(d.text) : d.text, terms),
    }));
  }
}
