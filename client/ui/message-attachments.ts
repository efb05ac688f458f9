/** A message's files: images inline (click to enlarge), other files as download links. Bytes come from IndexedDB Blobs. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { IMAGE_MIME_TYPES } from '../../shared/index.ts';
import { attachmentUrl } from '../state/attachment-urls.ts';
import type { AttachmentRef } from '../state/types.ts';
import { icon } from './icons.ts';
import { sharedStyles } from './shared-styles.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

@customElement('message-attachments')
export class MessageAttachments extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0.3rem 0 0.6rem;
      }
      .thumb {
        padding: 0;
        border: 1px solid var(--border);
        border-radius: var(--radius-sm);
        overflow: hidden;
        background: var(--surface-2);
        cursor: zoom-in;
      }
      .thumb img {
        display: block;
        max-width: min(100%, 22rem);
        max-height: 16rem;
      }
      a.file {
        display: inline-flex;
        gap: 0.5rem;
        align-items: center;
        padding: 0.45rem 0.7rem;
        border: 1px solid var(--border);
        border-radius: var(--radius-sm);
        color: inherit;
        text-decoration: none;
        background: var(--surface-2);
      }
      a.file:hover {
        background: var(--surface-hover);
      }
      .size {
        color: var(--muted);
        font-size: 0.85em;
      }
      dialog {
        border: none;
        padding: 0;
        background: transparent;
        max-width: 96vw;
        max-height: 96vh;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.8);
      }
      dialog img {
        max-width: 96vw;
        max-height: 88vh;
        display: block;
        border-radius: var(--radius-sm);
      }
      dialog button {
        position: fixed;
        top: max(1rem, env(safe-area-inset-top));
        right: 1rem;
        background: rgb(0 0 0 / 0.6);
        color: #fff;
        border-color: transparent;
      }
    `,
  ];

  @property({ attribute: false }) attachments: AttachmentRef[] = [];
  @state() private urls = new Map<string, string>();
  @state() private enlarged: AttachmentRef | undefined;
  @query('dialog') private dialog!: HTMLDialogElement;

  override willUpdate(): void {
    for (const a of this.attachments) {
      if (this.urls.has(a.id)) continue;
      void attachmentUrl(a.id).then((url) => {
        if (url) this.urls = new Map(this.urls).set(a.id, url);
      });
    }
  }

  override render() {
    return html`${this.attachments.map((a) => this.renderOne(a))}
      <dialog
        aria-label=${this.enlarged?.name ?? 'Image'}
        @close=${() => (this.enlarged = undefined)}
        @click=${this._onBackdrop}
      >
        ${
          this.enlarged
            ? html`<img src=${this.urls.get(this.enlarged.id) ?? ''} alt=${this.enlarged.name} />
                <button class="icon" @click=${() => this.dialog.close()} aria-label="Close image">${icon('x')}</button>`
            : nothing
        }
      </dialog>`;
  }

  private renderOne(a: AttachmentRef) {
    const url = this.urls.get(a.id);
    if (IMAGE_MIME_TYPES.includes(a.mime) && url) {
      return html`<button class="thumb" @click=${() => this.open(a)} aria-label="Enlarge image ${a.name}">
        <img src=${url} alt=${a.name} loading="lazy" />
      </button>`;
    }
    return html`<a class="file" href=${url ?? '#'} download=${a.name} aria-disabled=${url ? 'false' : 'true'}>
      ${icon('file')}<span>${a.name}</span><span class="size">${formatBytes(a.size)}</span>
    </a>`;
  }

  private async open(a: AttachmentRef): Promise<void> {
    this.enlarged = a;
    await this.updateComplete;
    this.dialog.showModal();
  }

  private _onBackdrop(e: MouseEvent): void {
    if (e.target === this.dialog) this.dialog.close();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-attachments': MessageAttachments;
  }
}
