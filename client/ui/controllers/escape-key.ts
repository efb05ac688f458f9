/** A ReactiveController for the page's last word on Esc: what nothing else closed (a dialog, a rename, an edit) its host may close. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class EscapeKey implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    /** Closes or stops one thing and returns true, or returns false when there was nothing to do. */
    private readonly onEscape: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener('keydown', this.onKey);
  }

  hostDisconnected(): void {
    removeEventListener('keydown', this.onKey);
  }

  /**
   * Whatever else Esc closes prevents its default, and a modal dialog closes itself (its own cancel), so
   * one Esc does one thing.
   */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
    if (e.composedPath().some((n) => n instanceof HTMLDialogElement)) return;
    if (this.onEscape()) e.preventDefault();
  };
}
