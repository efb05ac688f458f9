/** What a user does to chats from the sidebar: start one, rename, pin, delete (with Undo), filter by message text. */

import type { AppCore } from '../../state/app-core.ts';
import { ChatFilter } from '../../state/chat-filter.ts';
import { newChatId } from '../../state/ids.ts';
import type { ChatComposer } from '../composer/chat-composer.ts';
import type { ParleyEvents } from '../common/fire.ts';

/** What the actions need from the shell, read at the moment of the action. */
export interface SessionActionsHost {
  readonly core: AppCore | undefined;
  readonly chatId: string;
  readonly composer: ChatComposer | null;
  /** Shows a short notice, with an Undo button when `undo` is given. */
  notify(text: string, undo?: () => void): void;
  requestUpdate(): void;
}

export class SessionActions {
  /** Chats with a message matching the sidebar's filter (the list matches titles itself). */
  textMatches: ReadonlySet<string> = new Set();
  private chatFilter: ChatFilter | undefined;

  constructor(private readonly host: SessionActionsHost) {}

  newChat(): void {
    location.hash = `#/c/${newChatId()}`;
    this.host.composer?.focus();
  }

  rename({ id, title }: ParleyEvents['rename-chat']): void {
    void this.host.core?.store.renameSession(id, title);
  }

  pin({ id, pinned }: ParleyEvents['pin-chat']): void {
    void this.host.core?.store.setSessionPinned(id, pinned);
  }

  /** Deletes a chat at once and offers to put it back (resubscribed and reopened) for a few seconds. */
  async delete({ id }: ParleyEvents['delete-chat']): Promise<void> {
    const core = this.host.core;
    if (!core) return;
    core.sync.unsubscribe(id);
    const undo = await core.store.deleteSession(id);
    this.host.notify(
      'Chat deleted.',
      undo &&
        (() =>
          void undo().then(() => {
            void core.sync.subscribe(id);
            location.hash = `#/c/${id}`;
          })),
    );
    if (id === this.host.chatId) location.hash = `#/c/${core.store.sessions[0]?.id ?? newChatId()}`;
  }

  /** Brings a deleted chat back on every device and opens it (its history comes again from the relay). */
  async restore({ id }: ParleyEvents['restore-chat']): Promise<void> {
    const core = this.host.core;
    if (!core) return;
    await core.store.restoreSession(id);
    // Followed from the start: its whole history comes again from the relay.
    core.sync.subscribe(id);
    this.host.notify('Chat restored.');
    this.host.requestUpdate();
  }

  async filter({ query }: ParleyEvents['filter-chats']): Promise<void> {
    this.chatFilter ??= new ChatFilter(this.host.core?.store.reader ?? null);
    const found = await this.chatFilter.match(query);
    if (!found) return;
    this.textMatches = found;
    this.host.requestUpdate();
  }
}
