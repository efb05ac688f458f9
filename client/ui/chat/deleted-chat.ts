/** What a deleted chat's link shows: that it was deleted (on some device), and a Restore that brings it back everywhere. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** @fires restore-chat - the user asked for the chat back */
@customElement('deleted-chat')
export class DeletedChat extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        place-items: center;
        flex: 1;
        padding: 2rem 1rem;
      }
      section {
        max-width: 32rem;
        text-align: center;
      }
      h2 {
        margin: 0 0 0.5rem;
        font-size: 1.25rem;
      }
      p {
        color: var(--muted);
        margin: 0 0 1.2rem;
      }
    `,
  ];

  @property() chatId = '';
  @property() chatTitle = '';

  override render() {
    return html`<section role="status" aria-labelledby="deleted-h">
      <h2 id="deleted-h">“${this.chatTitle}” was deleted</h2>
      <p>
        This chat was deleted on one of your devices, so it is gone from all of them. Restore brings it back everywhere,
        with its messages.
      </p>
      <button class="primary" @click=${() => fire(this, 'restore-chat', { id: this.chatId })}>Restore</button>
    </section>`;
  }

  /** Focus goes to Restore when the notice opens from a link (the composer it replaces is gone). */
  override focus(): void {
    this.renderRoot.querySelector('button')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'deleted-chat': DeletedChat;
  }
}
