/** The shell's header bar (drawer toggle, chat title, the chat's settings chip, connection status, search, pins, data, settings) and the notices under it. */

import { html, nothing } from 'lit';
import { settingsFromFields } from '../../../shared/settings.ts';
import type { AppCore } from '../../state/app-core.ts';
import { icon } from '../common/icons.ts';
import './connection-status.ts';

export interface HeaderProps {
  core: AppCore;
  title: string;
  drawer: boolean;
  pinCount: number;
  showPins: boolean;
  /** The whole title is shown (a tap on a clamped title); otherwise it is clamped to the header's lines. */
  titleOpen: boolean;
  /** The open chat's workspace fields (its settings among them); undefined hides the settings chip. */
  chatFields: Readonly<Record<string, { value: unknown }>> | undefined;
  toggleTitle(): void;
  toggleDrawer(): void;
  togglePins(): void;
  openSearch(): void;
  openData(): void;
  openSettings(): void;
  openChatSettings(): void;
}

/** The chip naming the chat's model (or the agent's default) and marking a system prompt or parameters set. */
function settingsChip(p: HeaderProps) {
  if (!p.chatFields) return nothing;
  const agent = p.core.sync.agent;
  const s = settingsFromFields(p.chatFields);
  const model = s.model ?? agent?.model ?? agent?.models?.[0] ?? 'Default';
  const extras = [s.system ? 'system prompt' : '', s.params ? Object.keys(s.params).join(', ') : ''].filter(Boolean);
  const what = `Chat settings: model ${model}${s.model ? '' : ' (agent default)'}${extras.length ? `; set: ${extras.join('; ')}` : ''}`;
  return html`<button
    class="chat-settings"
    aria-label=${what}
    aria-keyshortcuts="Alt+Shift+S"
    title="${what} (Alt+Shift+S)"
    @click=${p.openChatSettings}
  >
    ${icon('sliders')}<span class="model">${model}</span>${
      extras.length ? html`<span class="set" aria-hidden="true"></span>` : nothing
    }
  </button>`;
}

/** A template, not a component: the header's buttons stay in the shell's shadow root with the drawer they control. */
export function appHeader(p: HeaderProps) {
  const { sync } = p.core;
  const conn = sync.connection;
  return html`<header>
    <button
      class="icon menu"
      aria-label="Show chats"
      aria-controls="sidebar"
      aria-expanded=${p.drawer ? 'true' : 'false'}
      @click=${p.toggleDrawer}
    >
      ${icon('menu')}
    </button>
    <h1 class=${p.titleOpen ? 'open' : ''} title=${p.title} @click=${p.toggleTitle}>${p.title}</h1>
    ${settingsChip(p)}
    <connection-status
      .state=${conn.state}
      .pending=${sync.pending}
      .agent=${sync.agent?.name ?? ''}
      .agentOnline=${sync.agent?.online ?? true}
      .detail=${conn.lastError}
      .retryAt=${conn.retryAt}
      .details=${{
        relayUrl: p.core.relay.url,
        capabilities: sync.agent?.capabilities ?? [],
        models: sync.agent?.models ?? [],
        epoch: conn.ready?.epoch ?? '',
        clientId: conn.ready?.client_id ?? '',
      }}
      @retry-connection=${() => conn.reconnect()}
    ></connection-status>
    <button class="icon" aria-label="Search all chats (Ctrl+K)" title="Search (Ctrl+K)" @click=${p.openSearch}>
      ${icon('search')}
    </button>
    ${
      p.pinCount
        ? html`<button
            class="icon pins"
            aria-label="Pinned messages (${p.pinCount})"
            aria-expanded=${p.showPins ? 'true' : 'false'}
            aria-controls="pinned"
            title="Pinned messages"
            @click=${p.togglePins}
          >
            ${icon('pin')}<span class="count">${p.pinCount}</span>
          </button>`
        : nothing
    }
    <button class="icon" aria-label="Export and import" title="Export / import" @click=${p.openData}>
      ${icon('box')}
    </button>
    <button class="icon" aria-label="Settings" title="Settings" @click=${p.openSettings}>${icon('gear')}</button>
  </header>`;
}

/** The line under the composer while offline ('' when connected). */
export function offlineHint(core: AppCore): string {
  const { sync } = core;
  if (sync.connection.state === 'connected') return '';
  const n = sync.pending;
  return n
    ? `Offline — ${n} message${n === 1 ? '' : 's'} will be sent when the connection returns.`
    : 'Offline — you can read everything and write messages; they are sent when the connection returns.';
}

/** Storage and configuration problems, each dismissable, under the header. */
export function problemBars(problems: readonly string[], dismiss: (problem: string) => void) {
  return problems.map(
    (p) =>
      html`<div class="problem" role="alert">
        <span>${p}</span>
        <button class="icon" aria-label="Dismiss" @click=${() => dismiss(p)}>${icon('x')}</button>
      </div>`,
  );
}
