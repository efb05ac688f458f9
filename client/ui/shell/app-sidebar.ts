/** The shell's sidebar: the brand with the drawer's close button, and the chat list wired to its actions. */

import { html } from 'lit';
import type { Session } from '../../state/types.ts';
import { icon } from '../common/icons.ts';
import type { SessionActions } from '../sidebar/session-actions.ts';
import '../sidebar/session-list.ts';

export interface SidebarProps {
  sessions: Session[];
  chatId: string;
  actions: SessionActions;
  closeDrawer(): void;
}

/** A template, not a component, like the header: the drawer's layout and focus belong to the shell's shadow root. */
export function appSidebar(p: SidebarProps) {
  const { actions } = p;
  return html`<aside id="sidebar" aria-label="Chats">
    <div class="brand">
      <img src="./icons/icon-192.png" alt="" width="28" height="28" /><span>Parley</span>
      <button class="icon close-drawer" aria-label="Hide chats" @click=${p.closeDrawer}>${icon('x')}</button>
    </div>
    <session-list
      .sessions=${p.sessions}
      .activeId=${p.chatId}
      @new-chat=${() => actions.newChat()}
      @rename-chat=${(e: HTMLElementEventMap['rename-chat']) => actions.rename(e.detail)}
      @pin-chat=${(e: HTMLElementEventMap['pin-chat']) => actions.pin(e.detail)}
      @delete-chat=${(e: HTMLElementEventMap['delete-chat']) => void actions.delete(e.detail)}
      .textMatches=${actions.textMatches}
      @filter-chats=${(e: HTMLElementEventMap['filter-chats']) => void actions.filter(e.detail)}
    ></session-list>
  </aside>`;
}
