/** Tells other tabs of this app what this one wrote (the records themselves) over BroadcastChannel, and applies theirs. */

import type { ChatStore, LocalChange } from './chat-store.ts';

export type TabMessage = LocalChange | { kind: 'draft'; chat_id: string; text: string };

function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false;
  const kind: unknown = Reflect.get(data, 'kind');
  if (kind === 'wrote' || kind === 'cleared') return true;
  if (kind === 'imported') return Array.isArray(Reflect.get(data, 'chats'));
  return kind === 'draft' && typeof Reflect.get(data, 'chat_id') === 'string';
}

/** Relays the store's local changes to other tabs and applies theirs here; nothing is reread but the outbox. */
export class TabSync {
  private readonly channel: BroadcastChannel | undefined;

  constructor(
    private readonly store: ChatStore,
    private readonly handlers: { onDraft(chatId: string, text: string): void; onOutbox(): void; onCleared(): void },
    name = 'parley',
  ) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
    if (!this.channel) return;
    this.channel.onmessage = (e: MessageEvent<unknown>) => {
      if (isTabMessage(e.data)) this.receive(e.data);
    };
    store.localListeners.add((change) => this.post(change));
  }

  post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  close(): void {
    this.channel?.close();
  }

  private receive(msg: TabMessage): void {
    switch (msg.kind) {
      case 'wrote':
        // Only records of this app's own shape come from its other tabs (same origin, same code).
        this.store.receive(msg);
        for (const d of msg.drafts ?? []) this.handlers.onDraft(d.chat_id, d.text);
        if (msg.outbox) this.handlers.onOutbox();
        return;
      case 'imported':
        void this.store.afterImport(msg.chats, true);
        return;
      case 'draft':
        return this.handlers.onDraft(msg.chat_id, msg.text);
      case 'cleared':
        return this.handlers.onCleared();
    }
  }
}
