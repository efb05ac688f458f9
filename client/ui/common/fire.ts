/** The app's DOM events: one typed map and one helper, so events go up (bubbling, composed) and data comes down. */

import type { HumanAnswer } from '../../../shared/index.ts';
import type { FieldValue } from '../../../shared/workspace.ts';
import type { Settings } from '../../state/types.ts';
import type { LightboxImage } from '../dialogs/image-lightbox.ts';

export interface ParleyEvents {
  'new-chat': undefined;
  'rename-chat': { id: string; title: string };
  'delete-chat': { id: string };
  'filter-chats': { query: string };
  'pin-chat': { id: string; pinned: boolean };
  /** Bring a deleted chat back on every device. */
  'restore-chat': { id: string };
  /** `replaces`: the user's own message this one rewrites (it and the replies after it go). */
  'send-message': { text: string; files: File[]; replaces?: string };
  'remove-file': { index: number };
  'stop-turn': undefined;
  'draft-change': { chatId: string; text: string };
  'message-action': { id: string; action: MessageAction };
  /** Show a stored image attachment in the lightbox, among the chat's other images. */
  'open-image': { id: string };
  /** Show images that are not stored files (inline in an agent's markdown) in the lightbox, starting at `index`. */
  'open-images': { images: LightboxImage[]; index: number };
  /** Go to a message (a search result, a pinned message). */
  'reveal-message': { chatId: string; id: string };
  /** Chats were added from an export file. */
  'data-imported': { chats: string[] };
  'press-button': { messageId: string; actionId: string };
  /** An answer to an agent's request (approval card, question form). */
  'answer-request': { messageId: string; requestId: string; answer: HumanAnswer };
  'use-command': { text: string };
  'open-settings': undefined;
  'save-settings': Settings;
  /** Workspace fields of a chat's settings to write (null: back to the agent's default). */
  'save-chat-settings': { chatId: string; fields: Record<string, FieldValue> };
  'clear-all': undefined;
  'retry-connection': undefined;
  'apply-update': undefined;
  'toggle-drawer': undefined;
  /** A dialog closed (the shell brings its notices back to the page). */
  'dialog-closed': undefined;
  notify: { text: string };
}

export type MessageAction =
  'pin' | 'unpin' | 'delete' | 'retry' | 'regenerate' | 'continue' | 'edit' | 'older-version' | 'newer-version';

type ParleyEventMap = { [K in keyof ParleyEvents]: CustomEvent<ParleyEvents[K]> };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends ParleyEventMap {}
}

export function fire<K extends keyof ParleyEvents>(
  from: EventTarget,
  type: K,
  ...detail: ParleyEvents[K] extends undefined ? [] : [ParleyEvents[K]]
): void {
  from.dispatchEvent(new CustomEvent(type, { detail: detail[0], bubbles: true, composed: true }));
}
