/** Tells other tabs of this app about local-only changes (sessions, pins, drafts, queued messages) over BroadcastChannel. */

import type { ChatStore, LocalChange } from './chat-store.ts';

export type TabMessage = LocalChange | { kind: 'draft'; chat_id: string; text: string };

function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false;
  const kind: unknown = Reflect.get(data, 'kind');
  return (
    kind === 'sessions' ||
    kind === 'cleared' ||
    kind === 'outbox' ||
    ((kind === 'messages' || kind === 'pins' || kind === 'message-deleted' || kind === 'draft') &&
      typeof Reflect.get(data, 'chat_id') === 'string')
  );
}

/** Relays the store's `local` events to other tabs and applies theirs here. */
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
      if (isTabMessage(e.data)) void this.receive(e.data);
    };
    store.localListeners.add((change) => this.post(change));
  }

  post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  close(): void {
    this.channel?.close();
  }

  private async receive(msg: TabMessage): Promise<void> {
    switch (msg.kind) {
      case 'sessions':
        return this.store.reloadSessions();
      case 'messages':
        this.handlers.onOutbox();
        return this.store.reloadMessages(msg.chat_id);
      case 'pins':
        return this.store.reloadMessages(msg.chat_id);
      case 'outbox':
        return this.handlers.onOutbox();
      case 'message-deleted':
        await this.store.deleteMessage(msg.chat_id, msg.id, true);
        return;
      case 'draft':
        return this.handlers.onDraft(msg.chat_id, msg.text);
      case 'cleared':
        return this.handlers.onCleared();
    }
  }
}
