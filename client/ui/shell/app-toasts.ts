/** The shell's notices and the update offer, shown on the page or inside the open dialog (see `ToastHome`). */

import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { ToastController } from '../controllers/toast-controller.ts';
import { ToastHome } from './toast-stack.ts';
import './update-toast.ts';

export class AppToasts implements ReactiveController {
  private readonly toast: ToastController;
  private readonly home = new ToastHome();
  private pendingUpdate: { apply(): void } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** False until the app has booted (nothing is shown before). */
    private readonly ready: () => boolean,
    /** The element of the open modal dialog, if one is open. */
    private readonly openDialog: () => HTMLElement | undefined,
  ) {
    this.toast = new ToastController(host);
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('notify', this.onNotify);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('notify', this.onNotify);
    this.home.remove();
  }

  hostUpdated(): void {
    if (this.ready()) this.home.place(this.render(), this.openDialog());
  }

  /** Shows a short notice; with `undo`, an Undo button for a few seconds. */
  notify(text: string, undo?: () => void): void {
    this.toast.show(text, undo ? { label: 'Undo', run: undo } : undefined);
  }

  /** A new service worker is waiting: offer to reload into it. */
  offerUpdate(handle: { apply(): void }): void {
    this.pendingUpdate = handle;
    this.host.requestUpdate();
  }

  private readonly onNotify = (e: HTMLElementEventMap['notify']): void => this.notify(e.detail.text);

  private render() {
    return html`${this.pendingUpdate ? html`<update-toast @apply-update=${() => this.pendingUpdate?.apply()}></update-toast>` : nothing}
    ${
      this.toast.text
        ? html`<div class="toast" role="status">
            ${this.toast.text}
            ${this.toast.action ? html`<button @click=${() => this.toast.act()}>${this.toast.action.label}</button>` : nothing}
          </div>`
        : nothing
    }`;
  }
}
