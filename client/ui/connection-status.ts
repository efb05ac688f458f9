/** Connection state at a glance: connected / connecting / offline, with the number of messages waiting to be sent. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionState } from '../state/relay-connection.ts';
import { fire } from './fire.ts';
import { sharedStyles } from './shared-styles.ts';

/** @fires retry-connection - when clicked while offline */
@customElement('connection-status')
export class ConnectionStatus extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      button {
        display: inline-flex;
        align-items: center;
        gap: 0.45rem;
        border-radius: 999px;
        font-size: 0.82rem;
        padding: 0.25rem 0.7rem;
        min-height: 2rem;
        white-space: nowrap;
      }
      .dot {
        width: 0.55rem;
        height: 0.55rem;
        border-radius: 50%;
        background: var(--muted);
      }
      .connected .dot {
        background: var(--ok);
      }
      .connected.away .dot {
        background: var(--warn);
      }
      .connecting .dot {
        background: var(--warn);
      }
      .offline .dot,
      .idle .dot {
        background: var(--danger);
      }
      .pending {
        font-weight: 600;
      }
      @media (max-width: 520px) {
        .agent {
          display: none;
        }
      }
    `,
  ];

  @property() state: ConnectionState = 'idle';
  @property({ type: Number }) pending = 0;
  @property() agent = '';
  /** False while a remote agent is not connected to the relay: messages wait there. */
  @property({ type: Boolean }) agentOnline = true;
  /** Why the last attempt failed. */
  @property() detail = '';

  override render() {
    const label = {
      connected: this.agentOnline ? 'Connected' : 'Agent offline',
      connecting: 'Connecting…',
      offline: 'Offline',
      idle: 'Not connected',
    }[this.state];
    const pending = this.pending ? `${this.pending} pending` : '';
    const title =
      this.state === 'connected' ? label : `${label}${this.detail ? ` — ${this.detail}` : ''}. Click to retry now.`;
    return html`<button
        class="${this.state} ${this.agentOnline ? '' : 'away'}"
        title=${title}
        @click=${() => fire(this, 'retry-connection')}
      >
        <span class="dot" aria-hidden="true"></span
        ><span
          >${label}${this.state === 'connected' && this.agent ? html`<span class="agent"> · ${this.agent}</span>` : ''}</span
        >
        ${pending ? html`<span class="pending">· ${pending}</span>` : ''}
      </button>
      <span class="sr-only" role="status">${label}${pending ? `, ${pending}` : ''}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'connection-status': ConnectionStatus;
  }
}
