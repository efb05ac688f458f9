/** "A new version is available — reload": shown when a new service worker is waiting. */

import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** @fires apply-update - the user chose to reload into the new version */
@customElement('update-toast')
export class UpdateToast extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      div {
        display: flex;
        gap: 0.8rem;
        align-items: center;
        background: var(--text);
        color: var(--bg);
        border-radius: var(--radius);
        padding: 0.6rem 0.6rem 0.6rem 1rem;
        box-shadow: var(--shadow);
      }
      button {
        background: var(--accent);
        border-color: var(--accent);
        color: var(--on-accent);
      }
    `,
  ];

  override render() {
    return html`<div role="status">
      <span>A new version of Parley is available.</span>
      <button @click=${() => fire(this, 'apply-update')}>Reload</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'update-toast': UpdateToast;
  }
}
