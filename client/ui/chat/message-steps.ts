/** The agent's steps on a reply (AG-UI steps, AI SDK steps): one line each, running, done or failed. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Step } from '../../../shared/index.ts';
import { sharedStyles } from '../common/shared-styles.ts';

const MARK = { running: '…', done: '✓', error: '✗' } as const;
const SAID = { running: 'running', done: 'done', error: 'failed' } as const;

@customElement('message-steps')
export class MessageSteps extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      ol {
        list-style: none;
        margin: 0 0 0.6rem;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        font-size: 0.8rem;
      }
      li {
        border: 1px solid var(--border);
        border-radius: 999px;
        padding: 0.1rem 0.55rem;
        color: var(--muted);
        background: var(--surface-2);
      }
      li.running {
        color: var(--accent);
        border-color: var(--accent);
      }
      li.error {
        color: var(--danger);
      }
      .mark {
        margin-left: 0.3rem;
      }
    `,
  ];

  @property({ attribute: false }) steps: Step[] = [];

  override render() {
    return html`<ol aria-label="Agent steps">
      ${this.steps.map(
        (s) =>
          html`<li class=${s.status}>
            ${s.name}<span class="mark" aria-hidden="true">${MARK[s.status]}</span
            ><span class="sr-only"> (${SAID[s.status]})</span>
          </li>`,
      )}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-steps': MessageSteps;
  }
}
