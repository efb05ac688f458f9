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
  /** When the next attempt starts (ms since the epoch), while offline. */
  @property({ type: Number }) retryAt: number | undefined;
  private tick: ReturnType<typeof setTimeout> | undefined;

  override render() {
    const seconds = this.retryAt === undefined ? 0 : Math.ceil((this.retryAt - Date.now()) / 1000);
    const label = {
      connected: this.agentOnline ? 'Connected' : 'Agent offline',
      connecting: 'Connecting…',
      offline: seconds > 0 ? `Offline · retry in ${seconds} s` : 'Offline',
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
      <span class="sr-only" role="status"
        >${this.state === 'offline' ? 'Offline' : label}${pending ? `, ${pending}` : ''}</span
      >`;
  }

  /** Counts down to the next attempt once a second, only while one is scheduled. */
  protected override updated(): void {
    clearTimeout(this.tick);
    if (this.state === 'offline' && this.retryAt !== undefined && this.retryAt > Date.now()) {
      this.tick = setTimeout(() => this.requestUpdate(), 1000);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.tick);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'connection-status': ConnectionStatus;
  }
}
