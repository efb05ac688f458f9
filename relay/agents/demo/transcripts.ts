/** The demo agent's memory of each chat, for `/edit` and `history`: bounded by messages, chats and bytes. */

import type { ChatMessage } from '../../../shared/index.ts';

export interface TranscriptLimits {
  /** Messages kept per chat. */
  perChat: number;
  /** Chats kept; the one written longest ago goes first. */
  chats: number;
  /** Characters of text kept across all chats; the oldest messages go first. */
  chars: number;
}

export class Transcripts {
  private readonly chats = new Map<string, ChatMessage[]>();
  private held = 0;

  constructor(private readonly limits: TranscriptLimits) {}

  /** Characters of text held across all chats. */
  get chars(): number {
    return this.held;
  }

  list(chatId: string): readonly ChatMessage[] {
    return this.chats.get(chatId) ?? [];
  }

  /** Keeps a copy of `message` without its files' data: history answers with text, and files are what weighs. */
  add(chatId: string, message: ChatMessage): void {
    const { attachments: _files, ...kept } = message;
    let list = this.chats.get(chatId);
    if (list) this.chats.delete(chatId);
    list ??= [];
    // Re-inserted, so Map order is the order chats were last written.
    this.chats.set(chatId, list);
    list.push(kept);
    this.held += kept.text.length;
    if (list.length > this.limits.perChat) this.dropOldest(chatId, list);
    while (this.chats.size > this.limits.chats) this.dropChat();
    while (this.held > this.limits.chars && this.chats.size > 0) {
      const [oldestId, oldest] = this.chats.entries().next().value ?? [];
      if (oldestId === undefined || !oldest) break;
      this.dropOldest(oldestId, oldest);
    }
  }

  /** Forgets the message `id` and everything after it (a regenerated turn answers that message again). */
  dropFrom(chatId: string, id: string): void {
    const list = this.chats.get(chatId);
    const at = list?.findIndex((m) => m.id === id) ?? -1;
    if (!list || at < 0) return;
    for (const gone of list.splice(at)) this.held -= gone.text.length;
  }

  /** Replaces the text of a kept message (the agent edited its reply). */
  edit(chatId: string, id: string, text: string): ChatMessage | undefined {
    const message = this.chats.get(chatId)?.find((m) => m.id === id);
    if (!message) return undefined;
    this.held += text.length - message.text.length;
    message.text = text;
    return message;
  }

  private dropOldest(chatId: string, list: ChatMessage[]): void {
    const gone = list.shift();
    if (gone) this.held -= gone.text.length;
    if (list.length === 0) this.chats.delete(chatId);
  }

  private dropChat(): void {
    const oldest = this.chats.entries().next().value;
    if (!oldest) return;
    const [id, list] = oldest;
    for (const m of list) this.held -= m.text.length;
    this.chats.delete(id);
  }
}
