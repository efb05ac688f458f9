/** An agent asking to run a tool: what it would run, allow once / always in this chat / deny with a reason. */

import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import {
  MAX_REASON_CHARS,
  requestStatus,
  type ApprovalRequest,
  type HumanAnswer,
  type RequestState,
} from '../../../shared/index.ts';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';
import { DeadlineController } from '../controllers/deadline-controller.ts';
import { requestCardStyles, requestDetailStyles } from './request-card-styles.ts';
import { answeredWhere, answerWords, expiresWords } from './request-summary.ts';

function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

/**
 * @fires answer-request - the decision, once; the card then waits for the relay's `request_answered`
 */
@customElement('approval-card')
export class ApprovalCard extends LitElement {
  static override styles = [sharedStyles, requestCardStyles, requestDetailStyles];

  @property({ attribute: false }) request!: RequestState & ApprovalRequest;
  @property() messageId = '';
  /** The reply asking is still being written: the relay takes answers once it ends. */
  @property({ type: Boolean }) waiting = false;
  /** Answered in this tab, not yet confirmed by the relay. */
  @state() private sent: HumanAnswer | undefined;
  /** An answer waiting in the outbox (this tab's or another's, before or after a reload). */
  @property({ attribute: false }) queued: HumanAnswer | undefined;
  @state() private denying = false;
  @query('textarea') private reasonBox!: HTMLTextAreaElement | null;
  private readonly deadline = new DeadlineController(this);

  /** This device's answer on its way: what the relay has not confirmed yet. */
  private get mine(): HumanAnswer | undefined {
    return this.queued ?? this.sent;
  }

  override render() {
    const r = this.request;
    const status = requestStatus(r, Date.now());
    this.deadline.watch(status === 'pending' ? r.expires_at : undefined);
    const settled = status !== 'pending' || this.mine !== undefined;
    const titleId = `t-${r.id}`;
    return html`<section class="card ${settled ? 'settled' : ''}" role="group" aria-labelledby=${titleId}>
      <h3 id=${titleId}>
        <span class="kind">Approval</span> <span>Run <code>${r.tool}</code>?</span>
      </h3>
      ${r.description ? html`<p>${r.description}</p>` : nothing}
      <details ?open=${status === 'pending'}>
        <summary class="muted">Arguments</summary>
        <pre>${pretty(r.arguments)}</pre>
      </details>
      ${this.renderState(status)}
    </section>`;
  }

  private renderState(status: ReturnType<typeof requestStatus>) {
    const r = this.request;
    if (status === 'answered' && r.answer) {
      const tone = r.answer.kind === 'approval' && r.answer.decision !== 'deny' ? 'allowed' : 'denied';
      return html`<p class="status ${tone}" role="status">
        <strong>${answerWords(r.answer)}</strong> <span class="muted">${answeredWhere(r)}</span>
      </p>`;
    }
    if (status === 'expired') {
      return html`<p class="status closed" role="status">
        <strong>Expired</strong> <span class="muted">the agent no longer takes an answer</span>
      </p>`;
    }
    if (status === 'cancelled') {
      return html`<p class="status closed" role="status">
        <strong>Cancelled</strong
        ><span class="muted">the reply that asked was ${r.cancelled === 'stopped' ? 'stopped' : 'cut off'}</span>
      </p>`;
    }
    const mine = this.mine;
    if (mine) {
      return html`<p class="status" role="status">
        <strong>${answerWords(mine)}</strong> <span class="muted">sending — queued while offline</span>
      </p>`;
    }
    if (this.denying) {
      return html`<label for="reason" class="muted"
          >Why not? The agent gets this as the tool's result (optional).</label
        >
        <textarea id="reason" maxlength=${MAX_REASON_CHARS} @keydown=${this._onReasonKey}></textarea>
        <div class="actions">
          <button class="danger solid" @click=${this._onDeny}>Deny</button>
          <button @click=${this._onCancelDeny}>Back</button>
        </div>`;
    }
    return html`${r.expires_at !== undefined ? html`<p class="muted">${expiresWords(r.expires_at)}</p>` : nothing}
      ${this.waiting ? html`<p class="muted">You can answer when the reply ends.</p>` : nothing}
      <div class="actions">
        <button
          class="primary"
          ?disabled=${this.waiting}
          @click=${() => this.answer({ kind: 'approval', decision: 'allow_once' })}
        >
          Allow once
        </button>
        <button ?disabled=${this.waiting} @click=${() => this.answer({ kind: 'approval', decision: 'allow_always' })}>
          Always allow in this chat
        </button>
        <button class="danger" ?disabled=${this.waiting} @click=${this._onStartDeny}>Deny…</button>
      </div>`;
  }

  private answer(answer: HumanAnswer): void {
    this.sent = answer;
    fire(this, 'answer-request', { messageId: this.messageId, requestId: this.request.id, answer });
  }

  private async _onStartDeny(): Promise<void> {
    this.denying = true;
    await this.updateComplete;
    this.reasonBox?.focus();
  }

  private async _onCancelDeny(): Promise<void> {
    this.denying = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.danger')?.focus();
  }

  private _onDeny(): void {
    const reason = this.reasonBox?.value.trim() ?? '';
    this.answer({ kind: 'approval', decision: 'deny', ...(reason ? { reason } : {}) });
  }

  private _onReasonKey(e: KeyboardEvent): void {
    // Enter denies (as a chat composer sends); Shift+Enter is a new line; Escape goes back.
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      this._onDeny();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      void this._onCancelDeny();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'approval-card': ApprovalCard;
  }
}
