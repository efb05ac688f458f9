/** Export (this chat or all, JSON with files or Markdown, with a Markdown preview) and import of a JSON export. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ChatArchive } from '../../state/local-data.ts';
import { buildExport, importExport, toMarkdown } from '../../state/export-import.ts';
import { fire } from '../common/fire.ts';
import { deepActiveElement } from '../common/focus.ts';
import { panelDialogStyles } from '../common/dialog-styles.ts';
import { sharedStyles } from '../common/shared-styles.ts';

const PREVIEW_CHARS = 4000;

/** Saves `blob` as a download through a blob: URL (allowed by the CSP, unlike data: URLs). */
export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.hidden = true;
  // Inside a modal dialog's page a detached link may not start a download; a connected one does.
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

function fileStem(title: string): string {
  return (
    title
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'chat'
  );
}

/**
 * @fires data-imported - the chats an import added to
 * @fires notify - what was exported
 * @fires dialog-closed - when it closes
 */
@customElement('data-dialog')
export class DataDialog extends LitElement {
  static override styles = [
    sharedStyles,
    panelDialogStyles,
    css`
      dialog {
        width: min(36rem, calc(100vw - 2rem));
        padding: 1.2rem 1.3rem;
      }
      h2 {
        margin: 0 0 0.8rem;
        font-size: 1.2rem;
      }
      section {
        display: grid;
        gap: 0.6rem;
        margin-bottom: 1.2rem;
      }
      h3 {
        margin: 0;
        font-size: 1rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
      }
      .row label {
        display: flex;
        gap: 0.35rem;
        align-items: center;
      }
      pre {
        max-height: 14rem;
        overflow: auto;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-family: var(--mono);
        font-size: 0.8rem;
        background: var(--code-bg);
        border-radius: var(--radius-sm);
        padding: 0.6rem;
        margin: 0;
      }
      .help {
        font-size: 0.85rem;
        color: var(--muted);
        margin: 0;
      }
      .error {
        color: var(--danger);
      }
      .ok {
        color: var(--ok);
      }
      .end {
        display: flex;
        justify-content: flex-end;
      }
    `,
  ];

  @property({ attribute: false }) db: ChatArchive | null = null;
  @property() chatId = '';
  @property() chatTitle = '';
  @state() private scope: 'chat' | 'all' = 'chat';
  @state() preview = '';
  @state() private status: { ok: boolean; text: string } | undefined;
  @query('dialog') private dialog!: HTMLDialogElement;
  private returnFocus: HTMLElement | undefined;

  override render() {
    return html`<dialog aria-labelledby="data-title" @close=${this._onClose}>
      <slot name="toast"></slot>
      <h2 id="data-title">Export and import</h2>
      <section aria-label="Export">
        <h3>Export</h3>
        <div class="row" role="radiogroup" aria-label="What to export">
          <label
            ><input
              type="radio"
              name="scope"
              .checked=${this.scope === 'chat'}
              @change=${() => this.setScope('chat')}
            />This chat</label
          >
          <label
            ><input
              type="radio"
              name="scope"
              .checked=${this.scope === 'all'}
              @change=${() => this.setScope('all')}
            />All chats</label
          >
        </div>
        <div class="row">
          <button class="primary" @click=${() => void this.exportAs('json')}>Export JSON</button>
          <button @click=${() => void this.exportAs('md')}>Export Markdown</button>
          <button @click=${() => void this.showPreview()}>Preview Markdown</button>
        </div>
        <p class="help">
          JSON keeps everything, files included, and can be imported on any device. Markdown is for reading.
        </p>
        ${this.preview ? html`<pre aria-label="Markdown preview">${this.preview}</pre>` : nothing}
      </section>
      <section aria-label="Import">
        <h3>Import</h3>
        <div class="row">
          <input type="file" accept="application/json,.json" hidden @change=${this._onFile} />
          <button @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()}>
            Import JSON…
          </button>
        </div>
        <p class="help">Chats and messages already on this device are kept; importing a file twice adds nothing.</p>
        ${this.status ? html`<p role=${this.status.ok ? 'status' : 'alert'} class=${this.status.ok ? 'ok' : 'error'}>${this.status.text}</p>` : nothing}
      </section>
      <div class="end"><button @click=${() => this.dialog.close()}>Close</button></div>
    </dialog>`;
  }

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  async open(): Promise<void> {
    this.returnFocus = deepActiveElement();
    this.status = undefined;
    this.preview = '';
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
  }

  private _onClose(): void {
    this.returnFocus?.focus();
    fire(this, 'dialog-closed');
  }

  private setScope(scope: 'chat' | 'all'): void {
    this.scope = scope;
    this.preview = '';
  }

  private async build() {
    if (!this.db) throw new Error('Local storage is not available, so there is nothing to export.');
    return buildExport(this.db, this.scope === 'chat' ? [this.chatId] : undefined);
  }

  private async exportAs(kind: 'json' | 'md'): Promise<void> {
    try {
      const file = await this.build();
      if (!file.chats.length) throw new Error('This chat has no messages yet.');
      const stem = this.scope === 'chat' ? fileStem(this.chatTitle) : 'parley-all-chats';
      const day = new Date().toISOString().slice(0, 10);
      const blob =
        kind === 'json'
          ? new Blob([JSON.stringify(file)], { type: 'application/json' })
          : new Blob([toMarkdown(file)], { type: 'text/markdown' });
      download(blob, `${stem}-${day}.${kind}`);
      const n = file.chats.length;
      fire(this, 'notify', { text: `Exported ${n} chat${n === 1 ? '' : 's'}.` });
    } catch (err) {
      this.status = { ok: false, text: err instanceof Error ? err.message : String(err) };
    }
  }

  private async showPreview(): Promise<void> {
    try {
      const md = toMarkdown(await this.build());
      this.preview = md.length > PREVIEW_CHARS ? `${md.slice(0, PREVIEW_CHARS)}\n…` : md;
    } catch (err) {
      this.status = { ok: false, text: err instanceof Error ? err.message : String(err) };
    }
  }

  private async _onFile(e: Event): Promise<void> {
    if (!(e.target instanceof HTMLInputElement)) return;
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file || !this.db) return;
    try {
      const result = await importExport(this.db, await file.text());
      const n = result.chats.length;
      this.status = {
        ok: true,
        text: `Imported ${file.name}: ${n} chat${n === 1 ? '' : 's'}, ${result.added} new message${result.added === 1 ? '' : 's'}.`,
      };
      fire(this, 'data-imported', { chats: result.chats });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.status = { ok: false, text: `${file.name} was not imported; nothing was changed. ${why}` };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'data-dialog': DataDialog;
  }
}
