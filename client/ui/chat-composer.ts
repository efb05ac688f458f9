/** Where the user writes: Enter sends, Shift+Enter is a new line, Esc or the stop button stops a running reply; drafts persist per chat. */

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ATTACHMENT_MIME_TYPES, LIMITS } from '../../shared/index.ts';
import { fire } from './fire.ts';
import { icon } from './icons.ts';
import { formatBytes } from './message-attachments.ts';
import { sharedStyles } from './shared-styles.ts';
import { composerStyles } from './chat-composer-styles.ts';

const DRAFT_DELAY_MS = 300;

/**
 * @fires send-message - text and files; the composer clears itself
 * @fires stop-turn - stop the running reply
 * @fires draft-change - the text, debounced, for the chat's draft
 */
@customElement('chat-composer')
export class ChatComposer extends LitElement {
  static override styles = [sharedStyles, composerStyles];

  @property() chatId = '';
  @property() draft = '';
  @property({ type: Boolean }) running = false;
  @property() hint = '';
  /** The agent's models; a picker appears when there is a choice. */
  @property({ attribute: false }) models: string[] = [];
  @property() model = '';
  @state() private text = '';
  @state() private files: File[] = [];
  @state() private error = '';
  @query('textarea') private textarea!: HTMLTextAreaElement;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('chatId') || (changed.has('draft') && this.draft !== this.text && !this.matches(':focus-within'))) {
      this.flushDraft(changed.get('chatId'));
      this.text = this.draft;
      this.files = [];
      this.error = '';
    }
  }

  override updated(): void {
    const ta = this.textarea;
    ta.style.height = 'auto';
    ta.style.height = `${ta.scrollHeight}px`;
  }

  override render() {
    const canSend = this.text.trim() !== '' || this.files.length > 0;
    return html`<form @submit=${this._onSubmit}>
        ${
          this.files.length
            ? html`<div class="files" aria-label="Attached files">
                ${this.files.map(
                  (f, i) =>
                    html`<span class="chip"
                      >${f.name} · ${formatBytes(f.size)}
                      <button
                        type="button"
                        class="icon"
                        aria-label="Remove ${f.name}"
                        @click=${() => this.removeFile(i)}
                      >
                        ${icon('x')}
                      </button></span
                    >`,
                )}
              </div>`
            : nothing
        }
        ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
        <div class="row">
          <input type="file" multiple accept=${ATTACHMENT_MIME_TYPES.join(',')} hidden @change=${this._onFiles} />
          <button type="button" class="icon" aria-label="Attach files" title="Attach files" @click=${this._onAttach}>
            ${icon('clip')}
          </button>
          <textarea
            rows="1"
            aria-label="Message"
            placeholder="Message the agent…"
            enterkeyhint="send"
            .value=${live(this.text)}
            @input=${this._onInput}
            @keydown=${this._onKeyDown}
          ></textarea>
          ${
            this.models.length > 1
              ? html`<select aria-label="Model" title="Model for the next reply" @change=${this._onModel}>
                  ${this.models.map((m) => html`<option .selected=${m === this.model} value=${m}>${m}</option>`)}
                </select>`
              : nothing
          }
          ${
            this.running && !canSend
              ? html`<button
                  type="button"
                  class="stop"
                  aria-label="Stop reply (Esc)"
                  title="Stop (Esc)"
                  @click=${this._onStop}
                >
                  ${icon('stop')}
                </button>`
              : html`<button
                  type="submit"
                  class="send primary"
                  aria-label="Send message (Enter)"
                  title="Send (Enter)"
                  ?disabled=${!canSend}
                >
                  ${icon('send')}
                </button>`
          }
        </div>
      </form>
      ${this.hint ? html`<div class="hint" role="status">${this.hint}</div>` : nothing}`;
  }

  /** Puts text in the field (e.g. a demo command) and focuses it. */
  insert(text: string): void {
    this.text = text;
    this.scheduleDraft();
    this.focus();
  }

  override focus(): void {
    void this.updateComplete.then(() => this.textarea.focus());
  }

  private _onInput(e: Event): void {
    if (e.target instanceof HTMLTextAreaElement) this.text = e.target.value;
    this.error = '';
    this.scheduleDraft();
  }

  private _onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'Escape' && this.running) {
      e.preventDefault();
      this._onStop();
    }
  }

  private _onSubmit(e: Event): void {
    e.preventDefault();
    this.submit();
  }

  private submit(): void {
    const text = this.text;
    if (text.trim() === '' && this.files.length === 0) return;
    if (text.length > LIMITS.maxTextChars) {
      this.error = `The message is ${text.length.toLocaleString()} characters; the limit is ${LIMITS.maxTextChars.toLocaleString()}.`;
      return;
    }
    fire(this, 'send-message', { text, files: this.files });
    this.text = '';
    this.files = [];
    clearTimeout(this.draftTimer);
    fire(this, 'draft-change', { chatId: this.chatId, text: '' });
  }

  private _onModel(e: Event): void {
    if (e.target instanceof HTMLSelectElement) fire(this, 'model-change', { model: e.target.value });
  }

  private _onStop(): void {
    fire(this, 'stop-turn');
  }

  private _onAttach(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private _onFiles(e: Event): void {
    if (!(e.target instanceof HTMLInputElement) || !e.target.files) return;
    const picked = [...e.target.files];
    e.target.value = '';
    const bad = picked.find((f) => !ATTACHMENT_MIME_TYPES.includes(f.type));
    const big = picked.find((f) => f.size > LIMITS.maxAttachmentBytes);
    const files = [...this.files, ...picked.filter((f) => f !== bad && f !== big)];
    if (bad) this.error = `${bad.name}: this file type (${bad.type || 'unknown'}) cannot be sent.`;
    else if (big)
      this.error = `${big.name} is ${formatBytes(big.size)}; the limit is ${formatBytes(LIMITS.maxAttachmentBytes)}.`;
    if (files.length > LIMITS.maxAttachments) this.error = `At most ${LIMITS.maxAttachments} files per message.`;
    this.files = files.slice(0, LIMITS.maxAttachments);
  }

  private removeFile(index: number): void {
    this.files = this.files.filter((_, i) => i !== index);
  }

  private scheduleDraft(): void {
    clearTimeout(this.draftTimer);
    const chatId = this.chatId;
    this.draftTimer = setTimeout(() => {
      this.draftTimer = undefined;
      fire(this, 'draft-change', { chatId, text: this.text });
    }, DRAFT_DELAY_MS);
  }

  /** Saves the outgoing chat's draft right away when switching chats. */
  private flushDraft(previousChat: string | undefined): void {
    if (this.draftTimer === undefined || !previousChat) return;
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    fire(this, 'draft-change', { chatId: previousChat, text: this.text });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-composer': ChatComposer;
  }
}
