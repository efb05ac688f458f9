/** The sessions sidebar: new chat, filter by title, and per chat rename, pin (pinned on top) and delete. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Session } from '../state/types.ts';
import { fire } from './fire.ts';
import { icon } from './icons.ts';
import { sharedStyles } from './shared-styles.ts';

/**
 * @fires new-chat
 * @fires rename-chat
 * @fires pin-chat
 * @fires delete-chat
 */
@customElement('session-list')
export class SessionList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: 100%;
      }
      .top {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem;
      }
      .new {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        gap: 0.4rem;
        font-weight: 600;
      }
      input {
        width: 100%;
        font-size: 16px;
        padding: 0.45rem 0.6rem;
        border: 1px solid var(--border);
        border-radius: var(--radius-sm);
        background: var(--bg);
      }
      nav {
        overflow-y: auto;
        flex: 1;
        padding: 0 0.5rem 1rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        position: relative;
        border-radius: var(--radius-sm);
        margin-bottom: 2px;
      }
      li:hover,
      li:focus-within {
        background: var(--surface-hover);
      }
      li.active {
        background: var(--accent-soft);
      }
      a {
        display: block;
        padding: 0.5rem 5.2rem 0.5rem 0.65rem;
        color: inherit;
        text-decoration: none;
        border-radius: var(--radius-sm);
      }
      .title {
        display: block;
        font-weight: 500;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .preview {
        display: block;
        font-size: 0.8rem;
        color: var(--muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .tools {
        position: absolute;
        right: 0.25rem;
        top: 50%;
        transform: translateY(-50%);
        display: flex;
        opacity: 0;
      }
      li:hover .tools,
      li:focus-within .tools,
      li.active .tools {
        opacity: 1;
      }
      @media (hover: none) {
        .tools {
          opacity: 1;
        }
      }
      .tools button {
        min-height: 2rem;
        min-width: 1.75rem;
        padding: 0.2rem;
        color: var(--muted);
      }
      .tools button[aria-pressed='true'] {
        color: var(--accent-text);
      }
      .confirm,
      form {
        display: flex;
        gap: 0.35rem;
        align-items: center;
        padding: 0.4rem 0.5rem;
        flex-wrap: wrap;
        font-size: 0.9rem;
      }
      .empty {
        color: var(--muted);
        padding: 1rem;
        font-size: 0.9rem;
      }
      h2 {
        font-size: 0.72rem;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--muted);
        margin: 0.8rem 0.6rem 0.3rem;
      }
    `,
  ];

  @property({ attribute: false }) sessions: Session[] = [];
  @property() activeId = '';
  @state() private filter = '';
  @state() private renaming = '';
  @state() private confirming = '';

  override render() {
    const q = this.filter.trim().toLowerCase();
    const shown = q ? this.sessions.filter((s) => s.title.toLowerCase().includes(q)) : this.sessions;
    const pinned = shown.filter((s) => s.pinned);
    const rest = shown.filter((s) => !s.pinned);
    return html`<div class="top">
        <button class="new primary" @click=${() => fire(this, 'new-chat')}>${icon('plus')} New chat</button>
        <input
          type="search"
          placeholder="Filter chats"
          aria-label="Filter chats by title"
          .value=${this.filter}
          @input=${(e: Event) => e.target instanceof HTMLInputElement && (this.filter = e.target.value)}
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
          <span>Delete “${s.title}” from this device?</span>
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
    if (e.key === 'Escape') this.renaming = '';
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
