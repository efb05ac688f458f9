/** Which chats the sidebar's filter finds by their messages' text: the search index, built when a filter starts. */

import type { DbReader } from './db.ts';
import type { SearchIndex } from './search-index.ts';

export class ChatFilter {
  private index: Promise<SearchIndex> | undefined;
  private asked = 0;

  constructor(private readonly db: DbReader | null) {}

  /**
   * The chats with a message containing every word of `query` (as prefixes, like search), or undefined when a
   * newer query was asked meanwhile. The index is read once per filtering (from the first letter typed until
   * the filter is cleared), so typing costs no database reads.
   */
  async match(query: string): Promise<Set<string> | undefined> {
    const n = ++this.asked;
    if (!query.trim() || !this.db) {
      this.index = undefined;
      return new Set();
    }
    const db = this.db;
    this.index ??= import('./search-index.ts').then(({ SearchIndex }) => SearchIndex.fromDb(db));
    const hits = (await this.index).search(query, Number.MAX_SAFE_INTEGER);
    if (n !== this.asked) return undefined;
    return new Set(hits.filter((h) => h.role !== 'title').map((h) => h.chat_id));
  }
}
