/** Search every chat on this device (Ctrl/Cmd+K): type, move with the arrows, Enter jumps to the message. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SearchHit, SearchIndex } from '../../state/search-index.ts';
import { fire } from '../common/fire.ts';
import { deepActiveElement } from '../common/focus.ts';
import { sharedStyles } from '../common/shared-styles.ts';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * @fires reveal-message - the chosen result's chat and message ('' for a title)
 * @fires dialog-closed - when it closes
 */
@customElement('search-dialog')
export class SearchDialog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        width: min(40rem, calc(100vw - 1rem));
        max-height: min(36rem, calc(100vh - 2rem));
        margin: 8vh auto auto;
        padding: 0;
        border: 1px solid var(--border-strong);
        border-radius: var(--radius);
        background: var(--surface);
        color: var(--text);
        box-shadow: var(--shadow);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.4);
      }
      input {
        width: 100%;
        box-sizing: border-box;
        border: none;
        border-bottom: 1px solid var(--border);
        padding: 0.9rem 1rem;
        font: inherit;
        font-size: 1.05rem;
        background: transparent;
        color: inherit;
        outline: none;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0.3rem;
        overflow-y: auto;
        max-height: calc(min(36rem, 100vh - 2rem) - 4rem);
      }
      li {
        padding: 0.5rem 0.7rem;
        border-radius: var(--radius-sm);
        cursor: pointer;
      }
      li[aria-selected='true'] {
        background: var(--surface-hover);
        box-shadow: inset 3px 0 0 var(--accent);
      }
      .head {
        display: flex;
        gap: 0.5rem;
        font-size: 0.8rem;
        color: var(--muted);
        white-space: nowrap;
      }
      .head .title {
        font-weight: 600;
        color: var(--text);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .head time {
        margin-left: auto;
        white-space: nowrap;
      }
      .snippet {
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }
      mark {
        background: var(--accent);
        color: var(--bg);
        border-radius: 2px;
      }
      .empty {
        padding: 1rem;
        color: var(--muted);
        text-align: center;
      }
    `,
  ];

  /** The index to search; undefined while it is being built. */
  @property({ attribute: false }) index: SearchIndex | undefined;
  @state() query = '';
  @state() private active = 0;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input') private input!: HTMLInputElement;
  private returnFocus: HTMLElement | undefined;

  get results(): SearchHit[] {
    return this.index?.search(this.query) ?? [];
  }

  override render() {
    const hits = this.results;
    const active = Math.min(this.active, Math.max(0, hits.length - 1));
    return html`<dialog aria-label="Search chats" @close=${this._onClose}>
      <slot name="toast"></slot>
      <input
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls="results"
        aria-activedescendant=${hits.length ? `hit-${active}` : ''}
        aria-label="Search all chats"
        placeholder=${this.index ? 'Search all chats…' : 'Indexing chats…'}
        .value=${this.query}
        @input=${this._onInput}
        @keydown=${this._onKey}
      />
      <ul id="results" role="listbox" aria-label="Results">
        ${hits.map(
          (h, i) =>
            html`<li
              id="hit-${i}"
              role="option"
              aria-selected=${i === active ? 'true' : 'false'}
              @click=${() => this.choose(h)}
            >
              <div class="head">
                <span class="title">${h.title}</span>
                <span>${h.role === 'title' ? 'chat title' : h.role === 'user' ? 'you' : 'agent'}</span>
                <time>${when.format(h.created_at)}</time>
              </div>
              <div class="snippet">${h.snippet.before}<mark>${h.snippet.match}</mark>${h.snippet.after}</div>
            </li>`,
        )}
      </ul>
      ${
        this.query.trim() && this.index && !hits.length
          ? html`<div class="empty" role="status">No chat mentions “${this.query}”.</div>`
          : nothing
      }
    </dialog>`;
  }

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  async open(): Promise<void> {
    this.returnFocus = deepActiveElement();
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.input.focus();
    this.input.select();
  }

  private choose(hit: SearchHit): void {
    this.returnFocus = undefined;
    this.dialog.close();
    fire(this, 'reveal-message', { chatId: hit.chat_id, id: hit.message_id });
  }

  private _onInput(e: Event): void {
    if (e.target instanceof HTMLInputElement) this.query = e.target.value;
    this.active = 0;
  }

  private _onKey(e: KeyboardEvent): void {
    const hits = this.results;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = hits.length;
      if (n) this.active = (Math.min(this.active, n - 1) + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector(`#hit-${this.active}`)?.scrollIntoView({ block: 'nearest' }),
      );
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = hits[Math.min(this.active, hits.length - 1)];
      if (hit) this.choose(hit);
    } else if (e.key === 'Escape') {
      // A search field's own Esc only clears it (and the dialog never hears it): one Esc closes search.
      e.preventDefault();
      this.dialog.close();
    }
  }

  private _onClose(): void {
    const back = this.returnFocus;
    this.returnFocus = undefined;
    if (back?.isConnected) back.focus();
    fire(this, 'dialog-closed');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'search-dialog': SearchDialog;
  }
}
