/** A ReactiveController for the shell's phone drawer: a modal that takes focus when it opens and gives it back when it closes. */

import type { LitElement, ReactiveController } from 'lit';

/** Where focus goes in the host's shadow root. */
export interface DrawerParts {
  /** The drawer itself (focus inside it is given back on close). */
  drawer: string;
  /** Gets focus when the drawer opens (its close button). */
  first: string;
  /** Gets focus back when it closes (the button that opened it). */
  opener: string;
}

export class DrawerController implements ReactiveController {
  /** The drawer is open (on a phone; the host makes the rest inert). */
  open = false;
  private readonly phone = matchMedia('(max-width: 760px)');

  constructor(
    private readonly host: LitElement,
    private readonly parts: DrawerParts,
  ) {
    host.addController(this);
  }

  // A drawer left open when the window grows past phone width would keep the chat inert with no way to close it.
  hostConnected(): void {
    this.phone.addEventListener('change', this.onPhoneChange);
  }

  hostDisconnected(): void {
    this.phone.removeEventListener('change', this.onPhoneChange);
  }

  private readonly onPhoneChange = (): void => void this.set(false);

  /** Opens or closes it; focus goes back to the opener unless it has moved on (e.g. to a dialog). */
  async set(open: boolean): Promise<void> {
    if (open === this.open) return;
    this.open = open;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const root = this.host.renderRoot;
    const active = this.host.shadowRoot?.activeElement ?? null;
    if (open) root.querySelector<HTMLElement>(this.parts.first)?.focus();
    else if (!active || root.querySelector(this.parts.drawer)?.contains(active)) {
      root.querySelector<HTMLElement>(this.parts.opener)?.focus();
    }
  }
}
