/** The agent's reasoning: open while it streams ("Thinking…"), collapsed once the answer starts, unless the user chose. */

import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { sharedStyles } from '../common/shared-styles.ts';

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
  /** True while reasoning streams and no answer text has come yet. */
  @property({ type: Boolean }) streaming = false;
  /** Set once the user opens or closes it; until then it follows `streaming`. */
  @state() private userOpen: boolean | undefined;

  override render() {
    return html`<details ?open=${this.userOpen ?? this.streaming} @toggle=${this._onToggle}>
      <summary>${this.streaming ? html`<span class="live">Thinking</span>` : 'Reasoning'}</summary>
      <div class="text">${this.text}</div>
    </details>`;
  }

  private _onToggle(e: Event): void {
    if (e.target instanceof HTMLDetailsElement && e.target.open !== (this.userOpen ?? this.streaming)) {
      this.userOpen = e.target.open;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reasoning-block': ReasoningBlock;
  }
}
