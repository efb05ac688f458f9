/** Connection state at a glance (connected / connecting / offline, messages waiting), and its details on a click. */

import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConnectionState } from '../../state/relay-connection.ts';
import { connectionStyles } from './connection-status-styles.ts';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** What the relay said about itself and its agent when the connection became ready. */
export interface ConnectionDetails {
  relayUrl: string;
  capabilities: readonly string[];
  models: readonly string[];
  epoch: string;
  clientId: string;
}

/**
 * The pill opens a panel with the relay's URL, the agent and what it can do, the session ids, and Reconnect
 * (or Retry now). Esc or a click elsewhere closes it.
 *
 * @fires retry-connection - Reconnect / Retry now was pressed
 */
@customElement('connection-status')
export class ConnectionStatus extends LitElement {
  static override styles = [sharedStyles, connectionStyles];

  @property() state: ConnectionState = 'idle';
  @property({ type: Number }) pending = 0;
  @property() agent = '';
  /** False while a remote agent is not connected to the relay: messages wait there. */
  @property({ type: Boolean }) agentOnline = true;
  /** Why the last attempt failed. */
  @property() detail = '';
  /** When the next attempt starts (ms since the epoch), while offline. */
  @property({ type: Number }) retryAt: number | undefined;
  @property({ attribute: false }) details: ConnectionDetails | undefined;
  @state() private open = false;
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
    return html`<button
        class="pill ${this.state} ${this.agentOnline ? '' : 'away'}"
        title=${`${label}${this.detail && this.state !== 'connected' ? ` — ${this.detail}` : ''}. Details…`}
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="details"
        @click=${() => (this.open = !this.open)}
      >
        <span class="dot" aria-hidden="true"></span
        ><span class="label"
          >${label}${this.state === 'connected' && this.agent ? html`<span class="agent"> · ${this.agent}</span>` : ''}</span
        >
        ${pending ? html`<span class="pending">· ${pending}</span>` : ''}
      </button>
      ${this.open ? this.renderDetails(label) : nothing}
      <span class="sr-only" role="status"
        >${this.state === 'offline' ? 'Offline' : label}${pending ? `, ${pending}` : ''}</span
      >`;
  }

  private renderDetails(label: string) {
    const d = this.details;
    const connected = this.state === 'connected';
    return html`<section id="details" class="details" aria-label="Connection details">
      <dl>
        <dt>Status</dt>
        <dd>${label}${this.detail && !connected ? html`<br /><span class="why">${this.detail}</span>` : nothing}</dd>
        <dt>Relay</dt>
        <dd class="mono">${d?.relayUrl || '—'}</dd>
        <dt>Agent</dt>
        <dd>${this.agent || '—'}${this.agent && !this.agentOnline ? ' (not connected to the relay)' : ''}</dd>
        ${
          d?.capabilities.length
            ? html`<dt>Can</dt>
                <dd>${d.capabilities.join(', ')}</dd>`
            : nothing
        }
        ${
          d?.models.length
            ? html`<dt>Models</dt>
                <dd class="mono">${d.models.join(', ')}</dd>`
            : nothing
        }
        ${
          d?.epoch
            ? html`<dt>Relay epoch</dt>
                <dd class="mono">${d.epoch}</dd>`
            : nothing
        }
        ${
          d?.clientId
            ? html`<dt>Client id</dt>
                <dd class="mono">${d.clientId}</dd>`
            : nothing
        }
        ${
          this.pending
            ? html`<dt>Waiting</dt>
                <dd>${this.pending} message${this.pending === 1 ? '' : 's'} to send</dd>`
            : nothing
        }
      </dl>
      <button ?disabled=${this.state === 'connecting'} @click=${() => fire(this, 'retry-connection')}>
        ${connected ? 'Reconnect' : 'Retry now'}
      </button>
    </section>`;
  }

  /** Counts down to the next attempt once a second, only while one is scheduled. */
  protected override updated(): void {
    clearTimeout(this.tick);
    if (this.state === 'offline' && this.retryAt !== undefined && this.retryAt > Date.now()) {
      this.tick = setTimeout(() => this.requestUpdate(), 1000);
    }
    if (this.open) {
      addEventListener('keydown', this.onKey, true);
      addEventListener('pointerdown', this.onPointer, true);
    } else this.unlisten();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.tick);
    this.unlisten();
  }

  private unlisten(): void {
    removeEventListener('keydown', this.onKey, true);
    removeEventListener('pointerdown', this.onPointer, true);
  }

  /** Captured on the window, so this Esc closes the panel and nothing else (the page's Esc stops a reply). */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (e.composedPath().some((n) => n instanceof HTMLDialogElement)) return;
    e.preventDefault();
    this.open = false;
    this.renderRoot.querySelector<HTMLButtonElement>('button.pill')?.focus();
  };

  private readonly onPointer = (e: PointerEvent): void => {
    if (!e.composedPath().includes(this)) this.open = false;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'connection-status': ConnectionStatus;
  }
}
