/** A ReactiveController for the shell's short notices: one at a time, gone after a few seconds. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';

const SHOWN_MS = 3000;

export class ToastController implements ReactiveController {
  /** The notice on screen ('' for none). */
  text = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  show(text: string): void {
    this.text = text;
    this.host.requestUpdate();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.text = '';
      this.host.requestUpdate();
    }, SHOWN_MS);
  }
}
