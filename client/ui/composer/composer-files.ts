/** The files attached to a message being written: image previews and file chips, each removable. */

import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { IMAGE_MIME_TYPES } from '../../../shared/index.ts';
import { fire } from '../common/fire.ts';
import { icon } from '../common/icons.ts';
import { formatBytes } from '../common/format-bytes.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** @fires remove-file - the index of the file the user took off */
@customElement('composer-files')
export class ComposerFiles extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        padding: 0.3rem 0.3rem 0.4rem;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        border: 1px solid var(--border);
        background: var(--surface-2);
        border-radius: var(--radius-sm);
        padding: 0.15rem 0.15rem 0.15rem 0.3rem;
        font-size: 0.85rem;
        max-width: 100%;
      }
      img {
        width: 2.6rem;
        height: 2.6rem;
        object-fit: cover;
        border-radius: 4px;
        display: block;
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        max-width: 14rem;
      }
      .size {
        color: var(--muted);
      }
      button {
        min-height: 2rem;
        min-width: 2rem;
      }
      @media (max-width: 480px) {
        /* A long name made each chip wider than half a phone, so they stacked one per row: one scrolling line. */
        :host {
          flex-wrap: nowrap;
          overflow-x: auto;
          overscroll-behavior-x: contain;
        }
        .chip {
          flex: none;
        }
        .name {
          max-width: 7.5rem;
        }
      }
    `,
  ];

  @property({ attribute: false }) files: File[] = [];
  @state() private urls = new Map<File, string>();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('files')) return;
    const next = new Map<File, string>();
    for (const f of this.files) {
      if (!IMAGE_MIME_TYPES.includes(f.type)) continue;
      next.set(f, this.urls.get(f) ?? URL.createObjectURL(f));
    }
    for (const [f, url] of this.urls) if (!next.has(f)) URL.revokeObjectURL(url);
    this.urls = next;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls = new Map();
  }

  override render() {
    return this.files.map((f, index) => {
      const url = this.urls.get(f);
      return html`<span class="chip">
        ${url ? html`<img src=${url} alt="" />` : icon('file')}
        <span class="name" title=${f.name}>${f.name}</span><span class="size">${formatBytes(f.size)}</span>
        <button
          type="button"
          class="icon"
          aria-label="Remove ${f.name}"
          @click=${() => fire(this, 'remove-file', { index })}
        >
          ${icon('x')}
        </button>
      </span>`;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'composer-files': ComposerFiles;
  }
}
