/** Where the shell's notices appear: bottom centre, above the page and above an open dialog. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from '../common/shared-styles.ts';

/**
 * A modal dialog sits in the top layer and makes everything outside it inert, so a notice from inside it
 * ("Exported 8 chats.") would be hidden by its backdrop, not clickable and not announced. A popover above the
 * dialog is drawn on top but is still inert. So the shell moves this element into the open dialog (each dialog
 * has a `toast` slot) and back to the page when none is open; see `ToastHome`.
 *
 * The content is a template from the shell, so its buttons' handlers stay the shell's.
 */
@customElement('toast-stack')
export class ToastStack extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: fixed;
        left: 50%;
        transform: translateX(-50%);
        bottom: calc(6.5rem + env(safe-area-inset-bottom));
        width: max-content;
        max-width: calc(100vw - 2rem);
        display: grid;
        gap: 0.5rem;
        justify-items: center;
        z-index: 30;
        pointer-events: none;
      }
      .toasts > * {
        pointer-events: auto;
      }
      .toasts {
        display: contents;
      }
      .toast {
        background: var(--text);
        color: var(--bg);
        padding: 0.5rem 0.9rem;
        border-radius: var(--radius);
        box-shadow: var(--shadow);
        font-size: 0.9rem;
        text-align: center;
      }
      .toast button {
        margin-inline-start: 0.75rem;
        padding: 0.25rem 0.6rem;
        min-height: 2.25rem;
        border: 1px solid currentColor;
        border-radius: var(--radius);
        background: transparent;
        color: inherit;
        font: inherit;
        font-weight: 600;
        cursor: pointer;
      }
      .toast button:focus-visible {
        outline: 2px solid var(--accent, currentColor);
        outline-offset: 2px;
      }
    `,
  ];

  /** What to show (the update offer, the current notice); `nothing` for none. */
  @property({ attribute: false }) content: unknown = nothing;

  override render() {
    return html`<div class="toasts">${this.content}</div>`;
  }
}

/** Keeps a `<toast-stack>` in the open modal dialog's `toast` slot, or in the page when no dialog is open. */
export class ToastHome {
  readonly stack = document.createElement('toast-stack');

  /** Shows `content` in `dialogHost` (the element of the open dialog) or, with none, at the end of the page. */
  place(content: unknown, dialogHost: HTMLElement | undefined): void {
    this.stack.content = content;
    const home = dialogHost ?? document.body;
    if (this.stack.parentElement === home) return;
    if (dialogHost) this.stack.slot = 'toast';
    else this.stack.removeAttribute('slot');
    home.append(this.stack);
  }

  remove(): void {
    this.stack.remove();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'toast-stack': ToastStack;
  }
}
