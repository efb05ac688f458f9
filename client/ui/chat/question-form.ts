/** An agent's question as a form: fields from its schema, checked before sending by the relay's own rules. */

import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  formProblems,
  requestStatus,
  type FieldProblems,
  type FormValue,
  type FormValues,
  type HumanAnswer,
  type QuestionRequest,
  type RequestState,
} from '../../../shared/index.ts';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';
import { DeadlineController } from '../controllers/deadline-controller.ts';
import { requestCardStyles, requestDetailStyles } from './request-card-styles.ts';
import { renderField } from './question-fields.ts';
import { answeredWhere, answerWords, expiresWords } from './request-summary.ts';

function shown(value: FormValue | undefined): string {
  if (value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/**
 * @fires answer-request - the form's values (or a decline), once they pass the same check the relay applies
 */
@customElement('question-form')
export class QuestionForm extends LitElement {
  static override styles = [sharedStyles, requestCardStyles, requestDetailStyles];

  @property({ attribute: false }) request!: RequestState & QuestionRequest;
  @property() messageId = '';
  /** The reply asking is still being written: the relay takes answers once it ends. */
  @property({ type: Boolean }) waiting = false;
  @state() private values: FormValues = {};
  @state() private problems: FieldProblems = {};
  @state() private sent: HumanAnswer | undefined;
  /** An answer waiting in the outbox (this tab's or another's, before or after a reload). */
  @property({ attribute: false }) queued: HumanAnswer | undefined;
  private started = '';
  private readonly deadline = new DeadlineController(this);

  /** This device's answer on its way: what the relay has not confirmed yet. */
  private get mine(): HumanAnswer | undefined {
    return this.queued ?? this.sent;
  }

  override willUpdate(): void {
    // Defaults fill the form once per request; what the user typed since is kept across re-renders.
    if (this.started === this.request.id) return;
    this.started = this.request.id;
    const values: FormValues = {};
    for (const [key, field] of Object.entries(this.request.schema.properties)) {
      if (field.default !== undefined) values[key] = field.default;
      else if (field.type === 'boolean') values[key] = false;
      else if (field.type === 'array') values[key] = [];
    }
    this.values = values;
  }

  override render() {
    const r = this.request;
    const status = requestStatus(r, Date.now());
    this.deadline.watch(status === 'pending' ? r.expires_at : undefined);
    const settled = status !== 'pending' || this.mine !== undefined;
    const titleId = `q-${r.id}`;
    return html`<section class="card ${settled ? 'settled' : ''}" role="group" aria-labelledby=${titleId}>
      <h3 id=${titleId}><span class="kind">Question</span> <span>${r.prompt}</span></h3>
      ${settled ? this.renderSettled(status) : this.renderForm()}
    </section>`;
  }

  private renderSettled(status: ReturnType<typeof requestStatus>) {
    const r = this.request;
    const answer = r.answer ?? (status === 'pending' ? this.mine : undefined);
    const values = answer?.kind === 'question' ? answer.values : undefined;
    const line =
      status === 'answered' && r.answer
        ? html`<strong>${answerWords(r.answer)}</strong> <span class="muted">${answeredWhere(r)}</span>`
        : status === 'expired'
          ? html`<strong>Expired</strong> <span class="muted">the agent no longer takes an answer</span>`
          : status === 'cancelled'
            ? html`<strong>Cancelled</strong> <span class="muted">the reply that asked was stopped</span>`
            : html`<strong>${answer ? answerWords(answer) : ''}</strong
                ><span class="muted">sending — queued while offline</span>`;
    return html`${
        values
          ? html`<dl>
              ${Object.entries(r.schema.properties).map(
                ([key, field]) =>
                  html`<dt>${field.title ?? key}</dt>
                    <dd>${shown(values[key])}</dd>`,
              )}
            </dl>`
          : nothing
      }
      <p class="status ${status === 'expired' || status === 'cancelled' ? 'closed' : ''}" role="status">${line}</p>`;
  }

  private renderForm() {
    const r = this.request;
    const required = new Set(r.schema.required ?? []);
    const formProblem = this.problems[''];
    return html`<form novalidate @submit=${this._onSubmit}>
      <div class="fields">
        ${Object.entries(r.schema.properties).map(([key, field]) =>
          renderField({
            prefix: `q-${r.id}`,
            key,
            field,
            value: this.values[key],
            required: required.has(key),
            problem: this.problems[key],
            onChange: (value) => {
              this.values = { ...this.values, [key]: value };
              if (this.problems[key]) this.problems = formProblems(r.schema, this.cleaned());
            },
          }),
        )}
      </div>
      ${formProblem ? html`<p class="problem" role="alert">The form ${formProblem}</p>` : nothing}
      ${r.expires_at !== undefined ? html`<p class="muted">${expiresWords(r.expires_at)}</p>` : nothing}
      ${this.waiting ? html`<p class="muted">You can answer when the reply ends.</p>` : nothing}
      <div class="actions submit">
        <button class="primary" type="submit" ?disabled=${this.waiting}>Send answer</button>
        <button type="button" ?disabled=${this.waiting} @click=${this._onDecline}>Skip</button>
      </div>
    </form>`;
  }

  /** The values as sent: empty text left out (an optional field left blank is absent, not ""). */
  private cleaned(): FormValues {
    const out: FormValues = {};
    for (const [key, value] of Object.entries(this.values)) if (value !== '') out[key] = value;
    return out;
  }

  private async _onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    // Enter in a text field submits a form even while its button is disabled.
    if (this.waiting) return;
    const values = this.cleaned();
    this.problems = formProblems(this.request.schema, values);
    const first = Object.keys(this.problems).find((k) => k !== '');
    if (first !== undefined) {
      await this.updateComplete;
      const target = this.renderRoot.querySelector<HTMLElement>(`[data-key="${CSS.escape(first)}"]`);
      (target?.querySelector<HTMLElement>('input') ?? target)?.focus();
      return;
    }
    if (this.problems['']) return;
    this.send({ kind: 'question', values });
  }

  private _onDecline(): void {
    this.send({ kind: 'decline' });
  }

  private send(answer: HumanAnswer): void {
    this.sent = answer;
    fire(this, 'answer-request', { messageId: this.messageId, requestId: this.request.id, answer });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'question-form': QuestionForm;
  }
}
