/** The notice under the header about the relay itself: remember a link's relay, or none is reachable (and where to set one). */

import { html, nothing } from 'lit';
import type { RelayAdvice } from '../../state/relay-advice.ts';
import { icon } from '../common/icons.ts';

export interface RelayNoticeActions {
  remember(): void;
  dismiss(): void;
  openSettings(): void;
}

export function relayNotice(advice: RelayAdvice | undefined, actions: RelayNoticeActions) {
  if (!advice) return nothing;
  if (advice.kind === 'unreachable') {
    return html`<div class="problem relay-notice" role="alert">
      <span
        >Parley cannot reach a relay at ${advice.url}${advice.reason ? ` (${advice.reason})` : ''}. Your chats are here;
        set the relay to send and receive.</span
      >
      <button @click=${actions.openSettings}>Set relay…</button>
    </div>`;
  }
  return html`<div class="problem relay-notice" role="status">
    <span
      >This link connects to the relay
      ${advice.url}.${advice.forgetsToken ? ' Your saved token is for another relay and would be forgotten.' : ''}</span
    >
    <button @click=${actions.remember}>Remember this relay</button>
    <button class="icon" aria-label="Not now" @click=${actions.dismiss}>${icon('x')}</button>
  </div>`;
}
