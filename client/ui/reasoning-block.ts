/** The agent's reasoning: collapsed by default, labelled "Thinking…" while it streams. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from './shared-styles.ts';

@customElement('reasoning-block')
export class ReasoningBlock extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      details {
        margin: 0 0 0.6rem;
        font-size: 0.9rem;
        color: var(--muted);
      }
      summary {
        cursor: pointer;
        padding: 0.2rem 0;
        font-weight: 500;
      }
      .text {
        white-space: pre-wrap;
        border-left: 3px solid var(--border-strong);
        padding: 0.2rem 0 0.2rem 0.8rem;
        margin-top: 0.3rem;
        max-height: 24rem;
        overflow: auto;
      }
      .live::after {
        content: '…';
      }
    `,
  ];

  @property() text = '';
  @property({ type: Boolean }) streaming = false;

  override render() {
    return html`<details>
      <summary>${this.streaming ? html`<span class="live">Thinking</span>` : 'Reasoning'}</summary>
      <div class="text">${this.text}</div>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reasoning-block': ReasoningBlock;
  }
}
