/** The app's DOM events: one typed map and one helper, so events go up (bubbling, composed) and data comes down. */

import type { Settings } from '../state/types.ts';

export interface ParleyEvents {
  'new-chat': undefined;
  'rename-chat': { id: string; title: string };
  'delete-chat': { id: string };
  'pin-chat': { id: string; pinned: boolean };
  'send-message': { text: string; files: File[] };
  'stop-turn': undefined;
  'model-change': { model: string };
  'draft-change': { chatId: string; text: string };
  'message-action': { id: string; action: 'pin' | 'unpin' | 'delete' | 'retry' };
  'press-button': { messageId: string; actionId: string };
  'use-command': { text: string };
  'open-settings': undefined;
  'save-settings': Settings;
  'clear-all': undefined;
  'retry-connection': undefined;
  'apply-update': undefined;
  'toggle-drawer': undefined;
  notify: { text: string };
}

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
