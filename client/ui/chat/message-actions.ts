/** What a user does to messages: send (or rewrite), pin, delete, retry, regenerate, continue, edit. */

import type { AppCore } from '../../state/app-core.ts';
import type { LocalMessage } from '../../state/types.ts';
import type { ChatComposer } from '../composer/chat-composer.ts';
import type { ChatView } from './chat-view.ts';
import type { ParleyEvents } from '../common/fire.ts';

/** What the actions need from the shell, read at the moment of the action. */
export interface MessageActionsHost {
  readonly core: AppCore | undefined;
  readonly chatId: string;
  readonly composer: ChatComposer | null;
  readonly view: ChatView | null;
  /** Shows a short notice, with an Undo button when `undo` is given. */
  notify(text: string, undo?: () => void): void;
}

export class MessageActions {
  constructor(private readonly host: MessageActionsHost) {}

  /**
   * Sends a message. One that rewrites an earlier message the relay has becomes a new version of it (the old one
   * stays, behind ‹ 1 / 2 ›); rewriting a message the relay refused replaces it.
   */
  async send({ text, files, replaces }: ParleyEvents['send-message']): Promise<void> {
    const { core, chatId } = this.host;
    if (!core) return;
    const cache = core.store.chat(chatId);
    const edited = replaces ? cache.get(replaces) : undefined;
    if (edited && edited.state !== 'sent') await core.sync.discard(edited);
    if (edited?.state === 'sent') {
      // This tab shows the new version, whichever it had chosen.
      cache.chooseVersion(edited.version_of ?? edited.id, '');
      void core.sync.send(chatId, text, files, '', { versionOf: edited.id });
    } else void core.sync.send(chatId, text, files);
    this.host.view?.scrollToLatest();
  }

  act({ id, action }: ParleyEvents['message-action']): void {
    const { core, chatId } = this.host;
    if (!core) return;
    const message = core.store.chat(chatId).get(id);
    if (action === 'pin' || action === 'unpin') void core.store.setMessagePinned(chatId, id, action === 'pin');
    else if (action === 'delete' && message) void this.delete(message);
    else if (action === 'retry' && message) void core.sync.retry(message);
    else if (action === 'edit' && message) void this.edit(message);
    else if (action === 'regenerate' && message) void this.regenerate(message);
    else if (action === 'continue' && message) void this.continueReply(message);
    else if ((action === 'older-version' || action === 'newer-version') && message)
      this.showVersion(message, action === 'older-version' ? -1 : 1);
  }

  /** Shows the previous or next version of a message (on this device), with what hangs under it. */
  private showVersion(message: LocalMessage, step: -1 | 1): void {
    const { core, chatId } = this.host;
    if (!core) return;
    const cache = core.store.chat(chatId);
    const place = cache.versions.get(message.id);
    const next = place?.ids[place.index - 1 + step];
    if (!place || !next) return;
    cache.chooseVersion(place.group, next);
    core.store.changed();
  }

  /** Deletes a message at once (in every tab, then on every device) and offers to put it back for a few seconds. */
  private async delete(message: LocalMessage): Promise<void> {
    const undo = await this.host.core?.sync.discard(message);
    this.host.notify('Message deleted.', undo && (() => void undo()));
  }

  /** Loads one of the user's messages (text and files) into the composer to be edited and sent again. */
  private async edit(message: LocalMessage): Promise<void> {
    const db = this.host.core?.store.reader;
    const files = await Promise.all(
      (message.attachments ?? []).map(async (a) => {
        const stored = await db?.getAttachment(a.id);
        return stored ? new File([stored.blob], a.name, { type: a.mime }) : undefined;
      }),
    );
    this.host.composer?.edit(
      message.id,
      message.text,
      files.filter((f) => f !== undefined),
    );
  }

  /** Asks the agent to go on with a reply that stopped or failed; a new reply follows it. */
  private async continueReply(reply: LocalMessage): Promise<void> {
    const { core } = this.host;
    if (!core) return;
    if (!(await core.sync.continueReply(reply))) this.host.notify('Not connected: continue once the relay is back.');
    else this.host.view?.scrollToLatest();
  }

  /** Asks again for the last reply; the message it answered stays where it is. */
  private async regenerate(reply: LocalMessage): Promise<void> {
    const { core } = this.host;
    if (!core) return;
    await core.sync.regenerate(reply);
    this.host.view?.scrollToLatest();
  }
}
