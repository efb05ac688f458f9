/** The open chat's pinned messages, newest pin first: each jumps to its message or can be unpinned. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { markdownToPlain } from '../../markdown/plain-text.ts';
import type { LocalMessage } from '../../state/types.ts';
import { fire } from '../common/fire.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** One line of a message for the list: its text, else its files, else its tool calls. */
function gist(m: LocalMessage): string {
  const text = (m.role === 'assistant' ? markdownToPlain(m.text) : m.text).replace(/\s+/g, ' ').trim();
  if (text) return text.length > 160 ? `${text.slice(0, 160)}…` : text;
  if (m.attachments?.length) return m.attachments.map((a) => a.name).join(', ');
  return (m.tools ?? []).map((t) => t.name).join(', ') || '(empty message)';
}

/**
 * @fires reveal-message - go to a pinned message
 * @fires message-action - unpin
 */
@customElement('pinned-list')
export class PinnedList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0 auto;
        padding: 0.4rem 1rem;
        max-width: var(--content-width);
        max-height: 40vh;
        overflow-y: auto;
        display: grid;
        gap: 0.3rem;
      }
      li {
        display: flex;
        gap: 0.3rem;
        align-items: center;
      }
      .go {
        flex: 1;
        text-align: left;
        display: grid;
        gap: 0.1rem;
        min-width: 0;
        padding: 0.4rem 0.6rem;
      }
      .who {
        font-size: 0.75rem;
        color: var(--muted);
      }
      .text {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
    `,
  ];

  @property() chatId = '';
  /** The pinned messages, in the order to show them. */
  @property({ attribute: false }) messages: LocalMessage[] = [];

  /** Focus goes to the first entry (the list just opened). */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button.go')?.focus());
  }

  override render() {
    return html`<ul aria-label="Pinned messages">
      ${this.messages.map(
        (m) =>
          html`<li>
            <button class="go" @click=${() => fire(this, 'reveal-message', { chatId: this.chatId, id: m.id })}>
              <span class="who">${m.role === 'user' ? 'You' : 'Agent'}</span>
              <span class="text">${gist(m)}</span>
            </button>
            <button
              class="icon"
              aria-label="Unpin"
              title="Unpin"
              @click=${() => fire(this, 'message-action', { id: m.id, action: 'unpin' })}
            >
              ${icon('x')}
            </button>
          </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pinned-list': PinnedList;
  }
}
