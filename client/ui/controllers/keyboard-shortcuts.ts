/** A ReactiveController for the app's keyboard shortcuts (the table in shortcuts.ts): one keydown listener on the page. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { APP_SHORTCUTS, matchShortcut, type AppShortcut } from './shortcuts.ts';

/** Each shortcut's action; it returns false when it had nothing to do, so the key keeps its default. */
export type ShortcutHandlers = Record<AppShortcut, () => boolean | void>;

/** A text field, where a key without a modifier types: the shortcut path is checked through shadow roots. */
function inTextField(e: KeyboardEvent): boolean {
  return e
    .composedPath()
    .some(
      (n) =>
        n instanceof HTMLTextAreaElement ||
        n instanceof HTMLSelectElement ||
        (n instanceof HTMLInputElement &&
          !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(n.type)) ||
        (n instanceof HTMLElement && n.isContentEditable),
    );
}

export class KeyboardShortcuts implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly handlers: ShortcutHandlers,
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
   * A key something else took (a rename's Esc, the composer's Enter) or one typed into an IME is left alone, and
   * so is every key while a modal dialog has it: the dialog's own keys (Esc closes it) come first.
   */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.isComposing) return;
    if (e.composedPath().some((n) => n instanceof HTMLDialogElement)) return;
    const id = matchShortcut(APP_SHORTCUTS, e);
    if (!id) return;
    const shortcut = APP_SHORTCUTS.find((s) => s.id === id);
    if (!shortcut?.inFields && inTextField(e)) return;
    if (this.handlers[id]() !== false) e.preventDefault();
  };
}
