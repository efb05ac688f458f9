/**
 * A chat's settings (loaded on first use from the header's chip): its model, system prompt and one control per
 * parameter the agent advertises. Saving writes the chat's workspace fields (`setting/…`), so every device has them.
 */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AgentInfo } from '../../../shared/model.ts';
import { paramProblem } from '../../../shared/param-check.ts';
import {
  MAX_SYSTEM_CHARS,
  MODEL_FIELD,
  SYSTEM_FIELD,
  paramField,
  settingsFromFields,
  type AgentParam,
  type ParamValue,
} from '../../../shared/settings.ts';
import type { FieldValue } from '../../../shared/workspace.ts';
import { fire } from '../common/fire.ts';
import { deepActiveElement } from '../common/focus.ts';
import { panelDialogStyles } from '../common/dialog-styles.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** What a control holds: text as typed, a checkbox's state, or undefined for "the agent's default". */
type Draft = string | boolean | undefined;

/** A typed value from what a control holds (undefined: unset), or the reason it is not acceptable. */
export function draftValue(param: AgentParam, draft: Draft): { value?: ParamValue; error?: string } {
  if (draft === undefined || draft === '') return {};
  let value: ParamValue = draft;
  if (param.type === 'number' || param.type === 'integer') {
    const n = typeof draft === 'string' ? Number(draft.trim()) : NaN;
    if (!Number.isFinite(n)) return { error: 'must be a number' };
    value = n;
  }
  const error = paramProblem(param, value);
  return error ? { error } : { value };
}

/** The fields a save writes: what changed, null for what was reset (the agent's default applies again). */
export function changedFields(
  before: Readonly<Record<string, FieldValue | undefined>>,
  after: Readonly<Record<string, FieldValue | undefined>>,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[field] ?? null;
    const now = after[field] ?? null;
    if (was !== now) out[field] = now;
  }
  return out;
}

/**
 * @fires save-chat-settings - the fields to write for the chat
 * @fires dialog-closed - when it closes
 */
@customElement('chat-settings-dialog')
export class ChatSettingsDialog extends LitElement {
  static override styles = [
    sharedStyles,
    panelDialogStyles,
    css`
      dialog {
        width: min(32rem, calc(100vw - 2rem));
        padding: 0;
      }
      form {
        padding: 1.2rem 1.3rem;
        display: grid;
        gap: 0.9rem;
      }
      h2 {
        margin: 0;
        font-size: 1.2rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .head {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.5rem;
        font-size: 0.9rem;
      }
      .head label {
        font-weight: 600;
      }
      .reset {
        font-size: 0.78rem;
        min-height: 1.7rem;
        padding: 0.1rem 0.55rem;
      }
      input:not([type='checkbox']),
      select,
      textarea {
        font: inherit;
        font-size: 16px;
        padding: 0.45rem 0.6rem;
        border: 1px solid var(--border-strong);
        border-radius: var(--radius-sm);
        background: var(--bg);
        color: inherit;
        min-width: 0;
      }
      textarea {
        resize: vertical;
        min-height: 5rem;
      }
      .check {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        font-size: 0.9rem;
      }
      [aria-invalid='true'] {
        border-color: var(--danger);
      }
      .help {
        font-size: 0.8rem;
        color: var(--muted);
        margin: 0;
      }
      .error {
        color: var(--danger);
        font-size: 0.85rem;
        margin: 0;
      }
      .buttons {
        display: flex;
        gap: 0.5rem;
        justify-content: flex-end;
        flex-wrap: wrap;
      }
    `,
  ];

  @property() chatId = '';
  @property({ attribute: false }) agent: AgentInfo | undefined;
  /** The chat's workspace fields as this device has them. */
  @property({ attribute: false }) fields: Readonly<Record<string, { value: unknown }>> = {};
  @state() private model = '';
  @state() private system = '';
  @state() private drafts: Record<string, Draft> = {};
  @state() private errors: Record<string, string> = {};
  @query('dialog') private dialog!: HTMLDialogElement;
  private returnFocus: HTMLElement | undefined;
  /** The chat being edited (the route may change while the dialog is open; the save still goes to this one). */
  private editing = '';

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  private get params(): AgentParam[] {
    return this.agent?.params ?? [];
  }

  override render() {
    const models = this.agent?.models ?? [];
    const shownModels = this.model && !models.includes(this.model) ? [...models, this.model] : models;
    const fallback = this.agent?.model ?? models[0];
    return html`<dialog aria-labelledby="cs-h" @close=${this._onClose}>
      <form method="dialog" novalidate @submit=${this._onSubmit}>
        <h2 id="cs-h">Chat settings</h2>
        <p class="help">For this chat only, on every device. Unset fields use the agent's defaults.</p>
        ${
          shownModels.length
            ? html`<div class="field">
                ${this.head('cs-model', 'Model', this.model !== '', () => (this.model = ''))}
                <select id="cs-model" @change=${(e: Event) => (this.model = (e.target as HTMLSelectElement).value)}>
                  <option value="" .selected=${this.model === ''}>
                    Agent default${fallback ? ` (${fallback})` : ''}
                  </option>
                  ${shownModels.map(
                    (m) =>
                      html`<option value=${m} .selected=${m === this.model}>
                        ${m}${models.includes(m) ? '' : ' (not offered now)'}
                      </option>`,
                  )}
                </select>
              </div>`
            : nothing
        }
        <div class="field">
          ${this.head('cs-system', 'System prompt', this.system !== '', () => (this.system = ''))}
          <textarea
            id="cs-system"
            rows="4"
            maxlength=${MAX_SYSTEM_CHARS}
            placeholder="None"
            .value=${this.system}
            @input=${(e: Event) => (this.system = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
        ${this.params.map((p) => this.paramControl(p))}
        ${
          this.params.length === 0
            ? html`<p class="help">
                ${this.agent ? 'This agent advertises no parameters.' : 'Parameters show once the agent is known.'}
              </p>`
            : nothing
        }
        <div class="buttons">
          <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
          <button type="submit" class="primary">Save</button>
        </div>
      </form>
    </dialog>`;
  }

  /** A field's label and its "Reset to default" button (shown when the field is set). */
  private head(id: string, label: string, set: boolean, reset: () => void) {
    return html`<div class="head">
      <label for=${id}>${label}</label>
      ${
        set
          ? html`<button type="button" class="reset" aria-label="Reset ${label} to default" @click=${reset}>
              Reset to default
            </button>`
          : nothing
      }
    </div>`;
  }

  private paramControl(p: AgentParam) {
    const id = `cs-p-${p.name}`;
    const draft = this.drafts[p.name];
    const error = this.errors[p.name];
    const label = p.label ?? p.name;
    const set = (v: Draft) => {
      this.drafts = { ...this.drafts, [p.name]: v };
      if (this.errors[p.name])
        this.errors = Object.fromEntries(Object.entries(this.errors).filter(([k]) => k !== p.name));
    };
    const invalid = error ? 'true' : 'false';
    const described = error ? `${id}-err ${id}-help` : `${id}-help`;
    const def = p.default === undefined ? '' : String(p.default);
    const range = [p.min !== undefined ? `min ${p.min}` : '', p.max !== undefined ? `max ${p.max}` : '']
      .filter(Boolean)
      .join(', ');
    const help = [def ? `Default ${def}` : 'Agent default', range].filter(Boolean).join(' · ');
    let control;
    switch (p.type) {
      case 'boolean':
        control = html`<span class="check">
          <input
            id=${id}
            type="checkbox"
            .checked=${draft === undefined ? p.default === true : draft === true}
            aria-describedby=${described}
            @change=${(e: Event) => set((e.target as HTMLInputElement).checked)}
          />
          <span aria-hidden="true">${draft === undefined ? '(default)' : draft ? 'on' : 'off'}</span>
        </span>`;
        break;
      case 'enum':
        control = html`<select
          id=${id}
          aria-invalid=${invalid}
          aria-describedby=${described}
          @change=${(e: Event) => set((e.target as HTMLSelectElement).value || undefined)}
        >
          <option value="" .selected=${draft === undefined}>Agent default${def ? ` (${def})` : ''}</option>
          ${(p.options ?? []).map((o) => html`<option value=${o} .selected=${draft === o}>${o}</option>`)}
        </select>`;
        break;
      default: {
        const numeric = p.type === 'number' || p.type === 'integer';
        control = html`<input
          id=${id}
          type="text"
          inputmode=${numeric ? (p.type === 'integer' ? 'numeric' : 'decimal') : 'text'}
          autocomplete="off"
          placeholder=${def || 'Default'}
          .value=${typeof draft === 'string' ? draft : ''}
          aria-invalid=${invalid}
          aria-describedby=${described}
          @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
        />`;
      }
    }
    return html`<div class="field" data-param=${p.name}>
      ${this.head(id, label, draft !== undefined && draft !== '', () => set(undefined))} ${control}
      <p class="help" id="${id}-help">${help}</p>
      ${error ? html`<p class="error" id="${id}-err" role="alert">${label} ${error}</p>` : nothing}
    </div>`;
  }

  /** Opens on the chat's settings as they are now. */
  async open(): Promise<void> {
    this.returnFocus = deepActiveElement();
    this.editing = this.chatId;
    const now = settingsFromFields(this.fields);
    this.model = now.model ?? '';
    this.system = now.system ?? '';
    this.drafts = Object.fromEntries(
      Object.entries(now.params ?? {}).map(([k, v]) => [k, typeof v === 'boolean' ? v : String(v)]),
    );
    this.errors = {};
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('select, textarea')?.focus();
  }

  private _onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const after: Record<string, FieldValue | undefined> = {
      [MODEL_FIELD]: this.model || undefined,
      [SYSTEM_FIELD]: this.system.trim() ? this.system : undefined,
    };
    const errors: Record<string, string> = {};
    for (const p of this.params) {
      const { value, error } = draftValue(p, this.drafts[p.name]);
      if (error) errors[p.name] = error;
      else after[paramField(p.name)] = value;
    }
    this.errors = errors;
    const bad = Object.keys(errors)[0];
    if (bad) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#cs-p-${bad}`)?.focus());
      return;
    }
    // Only fields this dialog shows: a parameter another agent advertised keeps its value.
    const before: Record<string, FieldValue | undefined> = {};
    for (const field of Object.keys(after)) {
      const v = this.fields[field]?.value;
      before[field] = v === '' ? undefined : (v as FieldValue | undefined);
    }
    const fields = changedFields(before, after);
    if (Object.keys(fields).length) fire(this, 'save-chat-settings', { chatId: this.editing, fields });
    this.dialog.close();
  }

  private _onClose(): void {
    const back = this.returnFocus;
    this.returnFocus = undefined;
    if (back?.isConnected) back.focus();
    fire(this, 'dialog-closed');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-settings-dialog': ChatSettingsDialog;
  }
}
