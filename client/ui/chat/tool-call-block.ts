/** One tool call: name and arguments (streaming in as the model writes them), output, and the result once it finishes. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ToolCall } from '../../../shared/index.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';

function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

@customElement('tool-call-block')
export class ToolCallBlock extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      details {
        border: 1px solid var(--border);
        border-radius: var(--radius-sm);
        background: var(--surface-2);
        margin: 0 0 0.6rem;
        font-size: 0.9rem;
      }
      summary {
        cursor: pointer;
        padding: 0.45rem 0.7rem;
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      summary:hover {
        background: var(--surface-hover);
        border-radius: var(--radius-sm);
      }
      /* A flex summary loses the browser's marker; this arrow says the block opens, and turns when it does. */
      .chevron {
        display: inline-flex;
        color: var(--muted);
      }
      details[open] > summary .chevron {
        transform: rotate(90deg);
      }
      .name {
        font-family: var(--mono);
        font-weight: 600;
      }
      .status {
        margin-left: auto;
        font-size: 0.8rem;
        color: var(--muted);
      }
      .status.error {
        color: var(--danger);
      }
      .status.done {
        color: var(--ok);
      }
      .spin {
        width: 0.8rem;
        height: 0.8rem;
        border: 2px solid var(--border-strong);
        border-top-color: var(--accent);
        border-radius: 50%;
        animation: spin 0.8s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      .body {
        padding: 0 0.7rem 0.6rem;
      }
      h4 {
        margin: 0.4rem 0 0.2rem;
        font-size: 0.75rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--muted);
      }
      /* Arguments still streaming in (tool_args_delta): a caret shows more is being written. */
      pre.live::after {
        content: '▍';
        color: var(--accent);
      }
      pre {
        margin: 0;
        font-family: var(--mono);
        font-size: 0.82rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        max-height: 18rem;
        overflow: auto;
        background: var(--code-bg);
        padding: 0.5rem;
        border-radius: 6px;
      }
    `,
  ];

  @property({ attribute: false }) call!: ToolCall;
  /** Set once the user opens or closes it; until then it is open while running. */
  @state() private userOpen: boolean | undefined;

  override render() {
    const c = this.call;
    const open = this.userOpen ?? c.status === 'running';
    const label = { running: 'running', done: 'done', error: 'failed' }[c.status];
    return html`<details ?open=${open} @toggle=${this._onToggle}>
      <summary>
        <span class="chevron" aria-hidden="true">${icon('chevron')}</span>
        ${c.status === 'running' ? html`<span class="spin" aria-hidden="true"></span>` : nothing}
        <span>Tool</span><span class="name">${c.name}</span>
        <span class="status ${c.status}">${label}</span>
      </summary>
      <div class="body">
        <h4>Arguments</h4>
        <pre class=${c.status === 'running' ? 'live' : ''} aria-live="off">${pretty(c.arguments)}</pre>
        ${
          c.output
            ? html`<h4>Output</h4>
                <pre aria-live="off">${c.output}</pre>`
            : nothing
        }
        ${
          c.result !== undefined
            ? html`<h4>Result</h4>
                <pre>${c.result}</pre>`
            : nothing
        }
      </div>
    </details>`;
  }

  private _onToggle(e: Event): void {
    if (e.target instanceof HTMLDetailsElement) {
      const open = e.target.open;
      if (open !== (this.userOpen ?? this.call.status === 'running')) this.userOpen = open;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tool-call-block': ToolCallBlock;
  }
}
