/** Rows of buttons an agent offered under a message; once one is pressed (anywhere) the set is spent. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Button } from '../../../shared/index.ts';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** @fires press-button - with the message and button ids */
@customElement('message-buttons')
export class MessageButtons extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: 0.4rem;
        margin: 0.2rem 0 0.6rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      button {
        border-color: var(--accent);
        color: var(--accent-text);
        background: transparent;
      }
      button.used {
        background: var(--accent);
        color: var(--on-accent);
        opacity: 1;
      }
    `,
  ];

  @property() messageId = '';
  @property({ attribute: false }) buttons: Button[][] = [];
  @property({ attribute: false }) used: string[] = [];

  override render() {
    const spent = this.used.length > 0;
    return this.buttons.map(
      (row) =>
        html`<div class="row" role="group">
          ${row.map((b) => {
            const used = this.used.includes(b.id);
            return html`<button
              class=${used ? 'used' : ''}
              ?disabled=${spent}
              aria-pressed=${used ? 'true' : 'false'}
              @click=${() => fire(this, 'press-button', { messageId: this.messageId, actionId: b.id })}
            >
              ${used ? '✓ ' : ''}${b.label}
            </button>`;
          })}
        </div>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-buttons': MessageButtons;
  }
}
