/** A message's files: images inline (click to enlarge), other files as download links. Bytes come from IndexedDB Blobs. */

import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { IMAGE_MIME_TYPES } from '../../../shared/index.ts';
import { attachmentUrl } from '../../state/attachment-urls.ts';
import type { AttachmentRef } from '../../state/types.ts';
import { fire } from '../common/fire.ts';
import { formatBytes } from '../common/format-bytes.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** @fires open-image - the user wants an image enlarged (the app's lightbox shows it) */
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
        /* The limit is on the button: a percentage on the image inside a shrink-to-fit button left a strip beside it. */
        max-width: min(100%, 22rem);
        padding: 0;
        border: 1px solid var(--border);
        border-radius: var(--radius-sm);
        overflow: hidden;
        background: var(--surface-2);
        cursor: zoom-in;
      }
      .thumb img {
        display: block;
        max-width: 100%;
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
    `,
  ];

  @property({ attribute: false }) attachments: AttachmentRef[] = [];
  @state() private urls = new Map<string, string>();

  override willUpdate(): void {
    for (const a of this.attachments) {
      if (this.urls.has(a.id)) continue;
      void attachmentUrl(a.id).then((url) => {
        if (url) this.urls = new Map(this.urls).set(a.id, url);
      });
    }
  }

  override render() {
    return this.attachments.map((a) => this.renderOne(a));
  }

  private renderOne(a: AttachmentRef) {
    const url = this.urls.get(a.id);
    if (IMAGE_MIME_TYPES.includes(a.mime) && url) {
      return html`<button
        class="thumb"
        @click=${() => fire(this, 'open-image', { id: a.id })}
        aria-label="Enlarge image ${a.name}"
      >
        <img src=${url} alt=${a.name} loading="lazy" />
      </button>`;
    }
    return html`<a class="file" href=${url ?? '#'} download=${a.name} aria-disabled=${url ? 'false' : 'true'}>
      ${icon('file')}<span>${a.name}</span><span class="size">${formatBytes(a.size)}</span>
    </a>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-attachments': MessageAttachments;
  }
}
