/** A ReactiveController for the shell's short notices: one at a time, gone after a few seconds, optionally with an action. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { UNDO_WINDOW_MS } from '../../state/types.ts';

const SHOWN_MS = 3000;
/** Long enough to read the notice and reach its button (an Undo); a deletion reaches other devices after it. */
const WITH_ACTION_MS = UNDO_WINDOW_MS;

export interface ToastAction {
  label: string;
  run(): void;
}

export class ToastController implements ReactiveController {
  /** The notice on screen ('' for none). */
  text = '';
  /** Its button, if it has one. */
  action: ToastAction | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  show(text: string, action?: ToastAction): void {
    this.text = text;
    this.action = action;
    this.host.requestUpdate();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.hide(), action ? WITH_ACTION_MS : SHOWN_MS);
  }

  /** Runs the notice's action once and closes it. */
  act(): void {
    const action = this.action;
    this.hide();
    action?.run();
  }

  private hide(): void {
    clearTimeout(this.timer);
    this.text = '';
    this.action = undefined;
    this.host.requestUpdate();
  }
}
