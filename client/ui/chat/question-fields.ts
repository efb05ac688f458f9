/** The inputs of a question's form, one template per field kind of the schema subset, labelled and described. */

import { html, nothing, type TemplateResult } from 'lit';
import { choicesOf, type FormField, type FormValue } from '../../../shared/index.ts';

export interface FieldContext {
  /** Unique per card, so labels and descriptions point at this card's inputs. */
  prefix: string;
  key: string;
  field: FormField;
  value: FormValue | undefined;
  required: boolean;
  problem: string | undefined;
  onChange: (value: FormValue) => void;
}

function labelText(c: FieldContext) {
  return html`${c.field.title ?? c.key}${c.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}`;
}

/** The ids of the description and problem under a field, for `aria-describedby`. */
function describedBy(c: FieldContext): string {
  const ids = [];
  if (c.field.description) ids.push(`${c.prefix}-${c.key}-desc`);
  if (c.problem) ids.push(`${c.prefix}-${c.key}-problem`);
  return ids.join(' ');
}

function notes(c: FieldContext) {
  return html`${c.field.description ? html`<span class="muted" id=${`${c.prefix}-${c.key}-desc`}>${c.field.description}</span>` : nothing}
  ${c.problem ? html`<span class="problem" id=${`${c.prefix}-${c.key}-problem`}>${c.field.title ?? c.key} ${c.problem}</span>` : nothing}`;
}

const text = (v: FormValue | undefined) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function renderField(c: FieldContext): TemplateResult {
  const id = `${c.prefix}-${c.key}`;
  const invalid = c.problem ? 'true' : 'false';
  const choices = choicesOf(c.field);
  const f = c.field;
  if (f.type === 'boolean') {
    return html`<div class="field">
      <label class="check">
        <input
          type="checkbox"
          id=${id}
          data-key=${c.key}
          .checked=${c.value === true}
          aria-describedby=${describedBy(c)}
          aria-invalid=${invalid}
          @change=${(e: Event) => c.onChange(e.target instanceof HTMLInputElement && e.target.checked)}
        />
        <span>${labelText(c)}</span>
      </label>
      ${notes(c)}
    </div>`;
  }
  if (f.type === 'array' && choices) {
    const picked = Array.isArray(c.value) ? c.value : [];
    const toggle = (choice: string, on: boolean) =>
      c.onChange(on ? [...picked.filter((p) => p !== choice), choice] : picked.filter((p) => p !== choice));
    return html`<fieldset class="field" data-key=${c.key} aria-describedby=${describedBy(c)} aria-invalid=${invalid}>
      <legend>${labelText(c)}</legend>
      ${choices.map(
        (choice, i) =>
          html`<label class="check">
            <input
              type="checkbox"
              id=${`${id}-${i}`}
              .checked=${picked.includes(choice)}
              @change=${(e: Event) => toggle(choice, e.target instanceof HTMLInputElement && e.target.checked)}
            />
            <span>${choice}</span>
          </label>`,
      )}
      ${notes(c)}
    </fieldset>`;
  }
  const common = { id, describedBy: describedBy(c), invalid };
  let control: TemplateResult;
  if (choices) {
    control = html`<select
      id=${common.id}
      data-key=${c.key}
      aria-describedby=${common.describedBy}
      aria-invalid=${common.invalid}
      ?required=${c.required}
      @change=${(e: Event) => e.target instanceof HTMLSelectElement && c.onChange(e.target.value)}
    >
      <option value="" ?selected=${text(c.value) === ''}>Choose…</option>
      ${choices.map((choice) => html`<option .value=${choice} ?selected=${c.value === choice}>${choice}</option>`)}
    </select>`;
  } else if (f.type === 'number' || f.type === 'integer') {
    control = html`<input
      type="number"
      id=${common.id}
      data-key=${c.key}
      inputmode=${f.type === 'integer' ? 'numeric' : 'decimal'}
      step=${f.type === 'integer' ? '1' : 'any'}
      min=${f.minimum ?? nothing}
      max=${f.maximum ?? nothing}
      .value=${text(c.value)}
      aria-describedby=${common.describedBy}
      aria-invalid=${common.invalid}
      ?required=${c.required}
      @input=${(e: Event) => e.target instanceof HTMLInputElement && c.onChange(numberOf(e.target.value))}
    />`;
  } else if (f.type === 'string' && 'format' in f && f.format === 'multiline') {
    control = html`<textarea
      id=${common.id}
      data-key=${c.key}
      .value=${text(c.value)}
      aria-describedby=${common.describedBy}
      aria-invalid=${common.invalid}
      ?required=${c.required}
      maxlength=${f.maxLength ?? nothing}
      @input=${(e: Event) => e.target instanceof HTMLTextAreaElement && c.onChange(e.target.value)}
    ></textarea>`;
  } else {
    const max = f.type === 'string' && 'maxLength' in f ? f.maxLength : undefined;
    control = html`<input
      type="text"
      id=${common.id}
      data-key=${c.key}
      .value=${text(c.value)}
      aria-describedby=${common.describedBy}
      aria-invalid=${common.invalid}
      ?required=${c.required}
      maxlength=${max ?? nothing}
      @input=${(e: Event) => e.target instanceof HTMLInputElement && c.onChange(e.target.value)}
    />`;
  }
  return html`<div class="field"><label class="label" for=${id}>${labelText(c)}</label>${control}${notes(c)}</div>`;
}

/** A number input's text as a value: a number when it reads as one, else the text (the check then says why). */
function numberOf(raw: string): FormValue {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}
