/** What a new chat shows: what Parley is, what to do, and the demo agent's commands (click one to try it). */

import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** The demo agent's commands (its `/help` reply is the authority; this list teaches them up front). */
export const DEMO_COMMANDS: [string, string][] = [
  ['Hello!', 'a markdown reply with a heading, list, table and code'],
  ['/reasoning', 'thinks first (collapsible reasoning), then answers'],
  ['/tool', 'calls a tool with streamed output and a result'],
  ['/buttons', 'offers buttons; pressing one gets a reply'],
  ['/approve', 'asks before running a tool: allow or deny'],
  ['/ask', 'asks you questions in a form'],
  ['/image', 'sends an image'],
  ['/file', 'sends a text file'],
  ['/edit', 'edits its previous reply'],
  ['/typing', 'shows a typing indicator'],
  ['/long 400', 'a long reply (400 tokens)'],
  ['/slow', 'a slow reply — try Stop or Esc'],
  ['/error', 'a reply that fails'],
  ['/help', 'lists every command'],
];

/** @fires use-command - the command text, for the composer */
@customElement('empty-state')
export class EmptyState extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        padding: 2rem 0 1rem;
      }
      h2 {
        margin: 0 0 0.4rem;
        font-size: 1.4rem;
      }
      p {
        color: var(--muted);
        margin: 0 0 1.2rem;
        line-height: 1.5;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
        gap: 0.5rem;
      }
      button {
        width: 100%;
        text-align: left;
        display: grid;
        gap: 0.15rem;
        padding: 0.6rem 0.8rem;
        border-radius: var(--radius-sm);
      }
      code {
        font-family: var(--mono);
        font-weight: 600;
        color: var(--accent-text);
      }
      small {
        color: var(--muted);
      }
    `,
  ];

  override render() {
    return html`<h2>Start a conversation</h2>
      <p>
        Type a message below and press Enter (Shift+Enter for a new line). Everything is kept on this device, works
        offline, and messages written offline are sent when the connection returns. With the built-in demo agent, try:
      </p>
      <ul aria-label="Demo commands">
        ${DEMO_COMMANDS.map(
          ([cmd, what]) =>
            html`<li>
              <button @click=${() => fire(this, 'use-command', { text: cmd })}>
                <code>${cmd}</code><small>${what}</small>
              </button>
            </li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'empty-state': EmptyState;
  }
}
