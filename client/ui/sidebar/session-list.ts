/** The sessions sidebar: new chat, filter by title or message text, and per chat rename, pin (pinned on top) and delete. */

import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Session } from '../../state/types.ts';
import { fire } from '../common/fire.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';
import { sessionListStyles } from './session-list-styles.ts';

/**
 * @fires new-chat
 * @fires rename-chat
 * @fires pin-chat
 * @fires delete-chat
 * @fires filter-chats - the filter's text changed; the shell answers with `textMatches`
 */
@customElement('session-list')
export class SessionList extends LitElement {
  static override styles = [sharedStyles, sessionListStyles];

  @property({ attribute: false }) sessions: Session[] = [];
  @property() activeId = '';
  /** Chats whose messages match the filter (the shell finds them in the search index); titles are matched here. */
  @property({ attribute: false }) textMatches: ReadonlySet<string> = new Set();
  @state() private filter = '';
  @state() private renaming = '';
  @state() private confirming = '';

  override render() {
    const q = this.filter.trim().toLowerCase();
    const shown = q
      ? this.sessions.filter((s) => s.title.toLowerCase().includes(q) || this.textMatches.has(s.id))
      : this.sessions;
    const pinned = shown.filter((s) => s.pinned);
    const rest = shown.filter((s) => !s.pinned);
    return html`<div class="top">
        <button class="new primary" @click=${() => fire(this, 'new-chat')}>${icon('plus')} New chat</button>
        <input
          type="search"
          placeholder="Filter chats"
          aria-label="Filter chats by title or message"
          .value=${this.filter}
          @input=${this._onFilter}
        />
      </div>
      <nav aria-label="Chats">
        ${
          pinned.length
            ? html`<h2 id="pinned-h">Pinned</h2>
                <ul aria-labelledby="pinned-h">
                  ${pinned.map((s) => this.renderItem(s))}
                </ul>`
            : nothing
        }
        ${pinned.length && rest.length ? html`<h2 id="recent-h">Recent</h2>` : nothing}
        ${
          rest.length
            ? html`<ul aria-labelledby=${pinned.length ? 'recent-h' : nothing}>
                ${rest.map((s) => this.renderItem(s))}
              </ul>`
            : nothing
        }
        ${
          shown.length === 0
            ? html`<p class="empty">${q ? 'No chat title matches.' : 'No chats yet. Start one with “New chat”.'}</p>`
            : nothing
        }
      </nav>`;
  }

  private renderItem(s: Session) {
    const active = s.id === this.activeId;
    if (this.renaming === s.id) {
      return html`<li class=${active ? 'active' : ''}>
        <form @submit=${(e: Event) => this._onRename(e, s)}>
          <input name="title" aria-label="New title" .value=${s.title} maxlength="200" @keydown=${this._onRenameKey} />
          <button type="submit" class="primary">Save</button>
          <button type="button" @click=${() => (this.renaming = '')}>Cancel</button>
        </form>
      </li>`;
    }
    if (this.confirming === s.id) {
      return html`<li class=${active ? 'active' : ''}>
        <div class="confirm" role="alertdialog" aria-label="Delete chat">
          <span>Delete “${s.title}” on all your devices?</span>
          <button class="danger solid" @click=${() => this.deleteChat(s)}>Delete</button>
          <button @click=${() => (this.confirming = '')}>Cancel</button>
        </div>
      </li>`;
    }
    return html`<li class=${active ? 'active' : ''}>
      <a href="#/c/${s.id}" aria-current=${active ? 'page' : 'false'}>
        <span class="title">${s.title}</span>
        <span class="preview">${s.preview || 'No messages yet'}</span>
      </a>
      <span class="tools">
        <button
          class="icon"
          aria-label=${s.pinned ? `Unpin ${s.title}` : `Pin ${s.title}`}
          aria-pressed=${s.pinned ? 'true' : 'false'}
          title=${s.pinned ? 'Unpin' : 'Pin'}
          @click=${() => fire(this, 'pin-chat', { id: s.id, pinned: !s.pinned })}
        >
          ${icon('pin')}
        </button>
        <button class="icon" aria-label="Rename ${s.title}" title="Rename" @click=${() => this.startRename(s)}>
          ${icon('edit')}
        </button>
        <button class="icon" aria-label="Delete ${s.title}" title="Delete" @click=${() => (this.confirming = s.id)}>
          ${icon('trash')}
        </button>
      </span>
    </li>`;
  }

  private _onFilter(e: Event): void {
    if (!(e.target instanceof HTMLInputElement)) return;
    this.filter = e.target.value;
    fire(this, 'filter-chats', { query: this.filter });
  }

  private async startRename(s: Session): Promise<void> {
    this.renaming = s.id;
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>('form input');
    input?.focus();
    input?.select();
  }

  private _onRename(e: Event, s: Session): void {
    e.preventDefault();
    if (!(e.target instanceof HTMLFormElement)) return;
    const title = new FormData(e.target).get('title');
    if (typeof title === 'string' && title.trim()) fire(this, 'rename-chat', { id: s.id, title });
    this.renaming = '';
  }

  private _onRenameKey(e: KeyboardEvent): void {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    this.renaming = '';
  }

  private deleteChat(s: Session): void {
    this.confirming = '';
    fire(this, 'delete-chat', { id: s.id });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-list': SessionList;
  }
}
