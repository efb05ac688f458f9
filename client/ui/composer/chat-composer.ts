/** Where the user writes: Enter sends, Shift+Enter is a new line, Esc cancels an edit; files by picker, drop or paste; drafts persist per chat. */

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ATTACHMENT_MIME_TYPES, LIMITS } from '../../../shared/index.ts';
import { DraftSaver } from './draft-saver.ts';
import { FileDropController } from '../controllers/file-drop-controller.ts';
import { fire } from '../common/fire.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';
import { composerStyles } from './chat-composer-styles.ts';
import './composer-files.ts';

/**
 * @fires send-message - text and files (and the message it rewrites, when editing); the composer clears itself
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
  @state() private text = '';
  @state() private files: File[] = [];
  @state() private error = '';
  /** The user's own message being edited; sending replaces it. */
  @state() private editing = '';
  private readonly drop = new FileDropController(this, (files, pasted) => void this.addFiles(files, pasted));
  @query('textarea') private textarea!: HTMLTextAreaElement;
  private readonly drafts = new DraftSaver(this, () => ({ chatId: this.chatId, text: this.text }));

  override willUpdate(changed: PropertyValues<this>): void {
    // A draft from another tab replaces the field unless this tab's user is typing something else here:
    // the field is focused and no longer holds the draft it last showed.
    const typingHere = this.matches(':focus-within') && this.text !== (changed.get('draft') ?? '');
    if (changed.has('chatId') || (changed.has('draft') && this.draft !== this.text && !typingHere)) {
      this.drafts.flush(changed.get('chatId'));
      this.text = this.draft;
      this.files = [];
      this.error = '';
      this.editing = '';
    }
  }

  override updated(changed: PropertyValues<this>): void {
    const ta = this.textarea;
    ta.style.height = 'auto';
    ta.style.height = `${ta.scrollHeight}px`;
    // Opening a chat on a desktop puts the cursor in the field, so one can just type; phones keep their
    // keyboard closed until the user taps. Focus elsewhere (a dialog, the sidebar filter) is left alone.
    if (changed.has('chatId') && matchMedia('(pointer: fine)').matches && document.activeElement === document.body) {
      ta.focus();
    }
  }

  override render() {
    const canSend = this.text.trim() !== '' || this.files.length > 0;
    return html`<form class=${this.drop.dragging ? 'dragging' : ''} @submit=${this._onSubmit}>
        ${
          this.editing
            ? html`<div class="editing" role="status">
                <span>Editing your message — sending replaces it and the replies after it.</span>
                <button type="button" @click=${this.cancelEdit}>Cancel</button>
              </div>`
            : nothing
        }
        ${
          this.files.length
            ? html`<composer-files
                aria-label="Attached files"
                .files=${this.files}
                @remove-file=${(e: HTMLElementEventMap['remove-file']) => this.removeFile(e.detail.index)}
              ></composer-files>`
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
    this.drafts.schedule();
    this.focus();
  }

  /** Loads one of the user's own messages for editing; sending replaces it. */
  edit(id: string, text: string, files: File[]): void {
    this.editing = id;
    this.text = text;
    this.files = files;
    this.error = '';
    this.focus();
  }

  override focus(): void {
    void this.updateComplete.then(() => this.textarea.focus());
  }

  private _onInput(e: Event): void {
    if (e.target instanceof HTMLTextAreaElement) this.text = e.target.value;
    this.error = '';
    this.drafts.schedule();
  }

  private _onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'Escape' && this.editing) {
      // Handled here, so the shell's Esc (which stops a running reply) leaves the reply alone.
      e.preventDefault();
      this.cancelEdit();
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
    fire(
      this,
      'send-message',
      this.editing ? { text, files: this.files, replaces: this.editing } : { text, files: this.files },
    );
    this.text = '';
    this.files = [];
    this.editing = '';
    this.drafts.clear();
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
    void this.addFiles(picked);
  }

  /** Attaches files from the picker, a drop or a paste; large images are scaled down first. */
  async addFiles(files: File[], pasted = false): Promise<void> {
    // Reading, checking and scaling files is its own chunk: the first paint never needs it.
    const { takeFiles } = await import('./attachment-intake.ts');
    const { files: next, error } = await takeFiles(this.files, files, pasted);
    this.files = next;
    this.error = error;
  }

  private cancelEdit(): void {
    this.editing = '';
    this.text = '';
    this.files = [];
    this.drafts.schedule();
  }

  private removeFile(index: number): void {
    this.files = this.files.filter((_, i) => i !== index);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-composer': ChatComposer;
  }
}
