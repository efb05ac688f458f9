/** Saves what is typed as the chat's draft: debounced, and at once when the chat changes. */

import { fire } from '../common/fire.ts';

const DRAFT_DELAY_MS = 300;

export class DraftSaver {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Where the draft-change events start. */
    private readonly host: HTMLElement,
    /** The chat and the text to save, read when the save happens. */
    private readonly current: () => { chatId: string; text: string },
  ) {}

  /** Saves the text shortly, to the chat open now (even if another opens before then). */
  schedule(): void {
    clearTimeout(this.timer);
    const { chatId } = this.current();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      fire(this.host, 'draft-change', { chatId, text: this.current().text });
    }, DRAFT_DELAY_MS);
  }

  /** The message was sent: the draft is empty now, and nothing pending may bring it back. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    fire(this.host, 'draft-change', { chatId: this.current().chatId, text: '' });
  }

  /** Saves a pending draft at once for the chat being left. */
  flush(previousChat: string | undefined): void {
    if (this.timer === undefined || !previousChat) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    fire(this.host, 'draft-change', { chatId: previousChat, text: this.current().text });
  }
}
