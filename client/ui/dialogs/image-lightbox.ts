/**
 * A chat's images enlarged one at a time: zoom (wheel, pinch, double click, + / − / 0), pan (drag, arrows while
 * zoomed), download under the image's own name; arrows (or buttons) move, Esc or a click outside closes, focus returns.
 */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { matchShortcut, VIEWER_SHORTCUTS } from '../controllers/shortcuts.ts';
import { PAN_STEP, ZOOM_STEP, ZoomPan } from '../controllers/zoom-pan.ts';
import { downloadUrl } from '../common/download-url.ts';
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
        /* A zoomed image may cover the whole screen, never make it scroll. */
        overflow: hidden;
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
        padding: 3.5rem 3.5rem 4rem;
        box-sizing: border-box;
      }
      .stage {
        width: 100%;
        height: 100%;
        min-height: 0;
        display: grid;
        place-items: center;
        /* Zoomed, the image spills past the figure's padding to the screen's edges (the dialog clips it). */
        overflow: visible;
        /* Pinches and drags are the viewer's, not the page's scroll or zoom. */
        touch-action: none;
      }
      .stage.zoomed {
        cursor: grab;
      }
      .stage.zoomed:active {
        cursor: grabbing;
      }
      img {
        max-width: 100%;
        max-height: calc(100vh - 7.5rem);
        object-fit: contain;
        border-radius: var(--radius-sm);
        user-select: none;
        cursor: zoom-in;
      }
      .zoomed img {
        cursor: inherit;
      }
      /* A diagram has no background of its own: the page's, which its theme was drawn for. */
      img[src^='data:image/svg'] {
        background: var(--surface);
      }
      .tools {
        position: fixed;
        bottom: max(0.75rem, env(safe-area-inset-bottom));
        left: 50%;
        transform: translateX(-50%);
        display: flex;
        align-items: center;
        gap: 0.25rem;
        padding: 0.2rem;
        border-radius: 999px;
        background: #1c1c1c;
      }
      .tools output {
        min-width: 3.5rem;
        text-align: center;
        font-size: 0.85rem;
        font-variant-numeric: tabular-nums;
      }
      dialog .tools button.icon {
        position: static;
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
  readonly zoom = new ZoomPan(this, () => this.renderRoot.querySelector('.stage img'));
  /** A drag that moved the image is not also a click that closes the viewer. */
  private dragged = false;
  private down: { x: number; y: number } | undefined;
  /** Where the press began: with the pointer captured, the click that ends it is the stage's, even on the image. */
  private downOnImage = false;

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
                <div
                  class="stage ${this.zoom.zoomed ? 'zoomed' : ''}"
                  @wheel=${this.zoom.onWheel}
                  @dblclick=${this.zoom.onDoubleClick}
                  @pointerdown=${this._onPointerDown}
                  @pointermove=${this._onPointerMove}
                  @pointerup=${this.zoom.onPointerUp}
                  @pointercancel=${this.zoom.onPointerUp}
                >
                  <img src=${img.url} alt=${img.name} draggable="false" />
                </div>
                <figcaption>${img.name}${many ? ` — ${this.index + 1} of ${this.images.length}` : ''}</figcaption>
              </figure>
              <div class="tools" role="toolbar" aria-label="Zoom and download">
                <button
                  class="icon zoom-out"
                  aria-label="Zoom out"
                  ?disabled=${!this.zoom.zoomed}
                  @click=${() => this.zoom.zoomBy(1 / ZOOM_STEP)}
                >
                  ${icon('minus')}
                </button>
                <output aria-live="polite" aria-label="Zoom">${Math.round(this.zoom.scale * 100)}%</output>
                <button class="icon zoom-in" aria-label="Zoom in" @click=${() => this.zoom.zoomBy(ZOOM_STEP)}>
                  ${icon('plus')}
                </button>
                <button
                  class="icon fit"
                  aria-label="Fit to screen"
                  ?disabled=${!this.zoom.zoomed}
                  @click=${() => this.zoom.reset()}
                >
                  ${icon('fit')}
                </button>
                <button
                  class="icon download"
                  aria-label=${`Download ${img.name}`}
                  @click=${() => downloadUrl(img.url, img.name)}
                >
                  ${icon('save')}
                </button>
              </div>`
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

  /** The zoom through the CSSOM: a `style` attribute (what styleMap writes first) is refused by the CSP. */
  protected override updated(): void {
    const img = this.renderRoot.querySelector<HTMLImageElement>('.stage img');
    if (img && img.style.transform !== this.zoom.transform) img.style.transform = this.zoom.transform;
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
    this.zoom.reset();
  }

  /** The viewer's rows of the shortcut table; the arrows pan a zoomed image and move between fitted ones. */
  private _onKey(e: KeyboardEvent): void {
    const id = matchShortcut(
      VIEWER_SHORTCUTS.filter((s) => s.id !== (this.zoom.zoomed ? 'next-image' : 'pan')),
      e,
    );
    // A focused button keeps its own keys (Enter, Space); the arrows and + − 0 D work from anywhere in the viewer.
    if (!id) return;
    e.preventDefault();
    const img = this.images[this.index];
    if (id === 'zoom-in') this.zoom.zoomBy(ZOOM_STEP);
    else if (id === 'zoom-out') this.zoom.zoomBy(1 / ZOOM_STEP);
    else if (id === 'zoom-reset') this.zoom.reset();
    else if (id === 'download' && img) downloadUrl(img.url, img.name);
    else if (id === 'next-image') this.move(e.key === 'ArrowRight' ? 1 : -1);
    else if (id === 'pan') {
      const dx = e.key === 'ArrowLeft' ? PAN_STEP : e.key === 'ArrowRight' ? -PAN_STEP : 0;
      const dy = e.key === 'ArrowUp' ? PAN_STEP : e.key === 'ArrowDown' ? -PAN_STEP : 0;
      this.zoom.panBy(dx, dy);
    }
  }

  private _onPointerDown(e: PointerEvent): void {
    this.dragged = false;
    this.down = { x: e.clientX, y: e.clientY };
    this.downOnImage = e.composedPath()[0] instanceof HTMLImageElement;
    this.zoom.onPointerDown(e);
  }

  private _onPointerMove(e: PointerEvent): void {
    if (this.down && Math.hypot(e.clientX - this.down.x, e.clientY - this.down.y) > 4) this.dragged = true;
    this.zoom.onPointerMove(e);
  }

  private _onClick(e: MouseEvent): void {
    // A click on the dark area around the image (the dialog, the figure, the stage) closes, unless it ended a drag.
    const target = e.composedPath()[0];
    const around =
      target === this.dialog ||
      (target instanceof HTMLElement && (target.tagName === 'FIGURE' || target.classList.contains('stage')));
    if (around && !this.dragged && !this.downOnImage) this.close();
    this.dragged = false;
    this.downOnImage = false;
  }

  private _onClose(): void {
    this.zoom.reset();
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
