/** A ReactiveController for Ctrl/Cmd+K: opens search from anywhere on the page, even from the message field. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class SearchShortcut implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly open: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener('keydown', this.onKey);
  }

  hostDisconnected(): void {
    removeEventListener('keydown', this.onKey);
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      this.open();
    }
  };
}
