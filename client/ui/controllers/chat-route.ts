/** A ReactiveController for the shell's route: `#/c/<chat_id>` names the open chat, which is loaded, subscribed and given its draft. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CHAT_ID_PATTERN } from '../../../shared/index.ts';
import type { AppCore } from '../../state/app-core.ts';
import { newChatId } from '../../state/ids.ts';

/** The chat id in `#/c/<id>`, if the hash holds a valid one. */
export function routeChatId(hash: string): string | undefined {
  const m = /^#\/c\/([^/?#]+)$/.exec(hash);
  const id = m?.[1] ? decodeURIComponent(m[1]) : undefined;
  return id && CHAT_ID_PATTERN.test(id) ? id : undefined;
}

export class ChatRoute implements ReactiveController {
  /** The open chat ('' before the first route). */
  chatId = '';
  /** The open chat's saved draft, for the composer. */
  draft = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly core: () => AppCore | undefined,
    /** Called on every navigation, even to the chat already open (the drawer closes). */
    private readonly onNavigate: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener('hashchange', this.onHashChange);
  }

  hostDisconnected(): void {
    removeEventListener('hashchange', this.onHashChange);
  }

  private readonly onHashChange = (): void => void this.route();

  /** Follows the hash; with no valid chat in it, goes to the newest chat (or a new one). */
  async route(): Promise<void> {
    const core = this.core();
    if (!core) return;
    const id = routeChatId(location.hash);
    if (!id) {
      const next = core.store.sessions[0]?.id ?? newChatId();
      history.replaceState(null, '', `#/c/${next}`);
      return this.route();
    }
    this.onNavigate();
    if (id === this.chatId) return;
    this.chatId = id;
    this.host.requestUpdate();
    core.store.chat(id);
    // A deleted chat's link shows that it was deleted; it is followed again only once restored.
    if (!core.store.isDeleted(id)) void core.sync.subscribe(id);
    this.draft = await core.draft(id);
    this.host.requestUpdate();
  }

  /** Opens another chat as a new history entry (Back returns). */
  async open(chatId: string): Promise<void> {
    if (chatId === this.chatId) return;
    history.pushState(null, '', `#/c/${chatId}`);
    await this.route();
  }

  /** Another tab changed a draft; show it here unless this tab is editing that chat. */
  draftFromTab(chatId: string, text: string): void {
    if (chatId !== this.chatId) return;
    this.draft = text;
    this.host.requestUpdate();
  }

  /** Everything was deleted: start over in a new chat. */
  restart(): void {
    this.chatId = '';
    location.hash = `#/c/${newChatId()}`;
  }
}
