/** A collapsed block of JSON the agent sent along (its state, a data part, an activity), pretty-printed. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from '../common/shared-styles.ts';

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

@customElement('data-block')
export class DataBlock extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      details {
        margin: 0 0 0.6rem;
        font-size: 0.85rem;
        border: 1px dashed var(--border);
        border-radius: var(--radius-sm);
      }
      summary {
        cursor: pointer;
        padding: 0.35rem 0.7rem;
        color: var(--muted);
      }
      .live {
        margin-left: 0.4rem;
        font-size: 0.75rem;
      }
      pre {
        margin: 0;
        padding: 0 0.7rem 0.6rem;
        font-family: var(--mono);
        font-size: 0.8rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        max-height: 16rem;
        overflow: auto;
      }
    `,
  ];

  /** What the block is, e.g. "Agent state" or a data part's name. */
  @property() label = '';
  @property() json = '';
  /** A transient part: shown while the reply streams, gone once it ends. */
  @property({ type: Boolean }) transient = false;

  override render() {
    return html`<details>
      <summary>${this.label}${this.transient ? html`<span class="live">(live)</span>` : ''}</summary>
      <pre aria-live="off">${pretty(this.json)}</pre>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'data-block': DataBlock;
  }
}
