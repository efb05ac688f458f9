/** A chat's images enlarged one at a time: arrows (or buttons) move, Esc or a click outside closes, focus returns. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { fire } from '../common/fire.ts';
import { deepActiveElement } from '../common/focus.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';

export interface LightboxImage {
  url: string;
  name: string;
}

/** @fires dialog-closed - when it closes */
@customElement('image-lightbox')
export class ImageLightbox extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        border: none;
        padding: 0;
        background: transparent;
        max-width: 100vw;
        max-height: 100vh;
        width: 100vw;
        height: 100vh;
        color: #fff;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.92);
      }
      figure {
        margin: 0;
        height: 100%;
        display: grid;
        grid-template-rows: 1fr auto;
        place-items: center;
        padding: 3.5rem 3.5rem 1rem;
        box-sizing: border-box;
      }
      img {
        max-width: 100%;
        max-height: calc(100vh - 6rem);
        object-fit: contain;
        border-radius: var(--radius-sm);
      }
      figcaption {
        font-size: 0.9rem;
        padding-top: 0.5rem;
        overflow-wrap: anywhere;
        text-align: center;
      }
      /* More specific than the shared button.icon (transparent, smaller), which used to win. */
      dialog button.icon {
        position: fixed;
        /* Opaque: the app's header buttons must not show through the close button. */
        background: #1c1c1c;
        color: #fff;
        border-color: transparent;
        min-width: 2.75rem;
        min-height: 2.75rem;
      }
      .close {
        top: max(0.75rem, env(safe-area-inset-top));
        right: 0.75rem;
      }
      .prev,
      .next {
        top: 50%;
        transform: translateY(-50%);
      }
      .prev {
        left: 0.5rem;
      }
      .prev .i {
        transform: rotate(90deg);
      }
      .next {
        right: 0.5rem;
      }
      .next .i {
        transform: rotate(-90deg);
      }
    `,
  ];

  @property({ attribute: false }) images: LightboxImage[] = [];
  @state() index = 0;
  @query('dialog') private dialog!: HTMLDialogElement;
  private returnFocus: HTMLElement | undefined;

  override render() {
    const img = this.images[this.index];
    const many = this.images.length > 1;
    return html`<dialog
      aria-label="Image viewer"
      @close=${this._onClose}
      @click=${this._onClick}
      @keydown=${this._onKey}
    >
      ${
        img
          ? html`<figure>
              <img src=${img.url} alt=${img.name} />
              <figcaption>${img.name}${many ? ` — ${this.index + 1} of ${this.images.length}` : ''}</figcaption>
            </figure>`
          : nothing
      }
      ${
        many
          ? html`<button class="icon prev" aria-label="Previous image" @click=${() => this.move(-1)}>
                ${icon('down')}
              </button>
              <button class="icon next" aria-label="Next image" @click=${() => this.move(1)}>${icon('down')}</button>`
          : nothing
      }
      <button class="icon close" aria-label="Close image" @click=${() => this.close()}>${icon('x')}</button>
      <slot name="toast"></slot>
    </dialog>`;
  }

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Shows image `index`; focus goes back to what had it when the lightbox closes. */
  async show(index: number): Promise<void> {
    this.returnFocus = deepActiveElement();
    this.index = Math.max(0, Math.min(index, this.images.length - 1));
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('.close')?.focus();
  }

  close(): void {
    this.dialog?.close();
  }

  private move(step: number): void {
    const n = this.images.length;
    if (n > 1) this.index = (this.index + step + n) % n;
  }

  private _onKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      this.move(e.key === 'ArrowRight' ? 1 : -1);
    }
  }

  private _onClick(e: MouseEvent): void {
    // A click on the dark area around the image (the dialog or the figure itself) closes.
    const target = e.composedPath()[0];
    if (target === this.dialog || (target instanceof HTMLElement && target.tagName === 'FIGURE')) this.close();
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
    'image-lightbox': ImageLightbox;
  }
}
