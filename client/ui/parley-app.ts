/** The app shell: sidebar drawer, header with connection status, the open chat and its composer; routes `#/c/<chat_id>`. */

import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { CHAT_ID_PATTERN } from '../../shared/index.ts';
import type { AppCore } from '../state/app-core.ts';
import { newChatId } from '../state/ids.ts';
import type { Settings } from '../state/types.ts';
import { appStyles } from './parley-app-styles.ts';
import type { ChatComposer } from './chat-composer.ts';
import type { ChatView } from './chat-view.ts';
import type { SettingsDialog } from './settings-dialog.ts';
import { icon } from './icons.ts';
import './chat-composer.ts';
import './chat-view.ts';
import './connection-status.ts';
import './session-list.ts';
import './update-toast.ts';

/** The chat id in `#/c/<id>`, if the hash holds a valid one. */
export function routeChatId(hash: string): string | undefined {
  const m = /^#\/c\/([^/?#]+)$/.exec(hash);
  const id = m?.[1] ? decodeURIComponent(m[1]) : undefined;
  return id && CHAT_ID_PATTERN.test(id) ? id : undefined;
}

export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
}

@customElement('parley-app')
export class ParleyApp extends LitElement {
  static override styles = appStyles;

  @state() core: AppCore | undefined;
  @state() private chatId = '';
  @state() private draft = '';
  @state() private drawer = false;
  @state() private settingsReady = false;
  @state() private pendingUpdate: { apply(): void } | undefined;
  @state() private toast = '';
  @state() private announcement = '';
  @query('chat-composer') private composer!: ChatComposer;
  @query('chat-view') private view!: ChatView;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  /** Hands the booted state to the shell and starts routing. */
  attach(core: AppCore): void {
    this.core = core;
    const rerender = () => this.requestUpdate();
    core.store.addEventListener('change', rerender);
    core.store.announceListeners.add((text) => (this.announcement = text));
    addEventListener('hashchange', () => void this.route());
    applyTheme(core.settings.theme);
    void this.route();
  }

  /** Called by main when a new service worker is waiting. */
  offerUpdate(handle: { apply(): void }): void {
    this.pendingUpdate = handle;
  }

  /** Another tab changed a draft; show it here unless this tab is editing that chat. */
  draftFromTab(chatId: string, text: string): void {
    if (chatId === this.chatId) this.draft = text;
  }

  private async route(): Promise<void> {
    const core = this.core;
    if (!core) return;
    const id = routeChatId(location.hash);
    if (!id) {
      const next = core.store.sessions[0]?.id ?? newChatId();
      history.replaceState(null, '', `#/c/${next}`);
      return this.route();
    }
    this.drawer = false;
    if (id === this.chatId) return;
    this.chatId = id;
    core.store.chat(id);
    void core.sync.subscribe(id);
    this.draft = await core.draft(id);
  }

  override render() {
    const core = this.core;
    if (!core) return html`<div class="boot" role="status">Opening Parley…</div>`;
    const { store, sync } = core;
    const chat = store.chat(this.chatId);
    const conn = sync.connection;
    const session = store.session(this.chatId);
    const problems = [...store.problems, ...(core.relay.error ? [core.relay.error] : [])];
    const hint =
      conn.state === 'connected'
        ? ''
        : sync.pending
          ? `Offline — ${sync.pending} message${sync.pending === 1 ? '' : 's'} will be sent when the connection returns.`
          : 'Offline — you can read everything and write messages; they are sent when the connection returns.';
    return html`<div class="layout ${this.drawer ? 'drawer-open' : ''}" @keydown=${this._onKey}>
        <aside id="sidebar" aria-label="Chats">
          <div class="brand"><img src="./icons/icon-192.png" alt="" width="28" height="28" /><span>Parley</span></div>
          <session-list
            .sessions=${store.sessions}
            .activeId=${this.chatId}
            @new-chat=${this._onNewChat}
            @rename-chat=${(e: HTMLElementEventMap['rename-chat']) => void store.renameSession(e.detail.id, e.detail.title)}
            @pin-chat=${(e: HTMLElementEventMap['pin-chat']) => void store.setSessionPinned(e.detail.id, e.detail.pinned)}
            @delete-chat=${this._onDeleteChat}
          ></session-list>
        </aside>
        <div class="backdrop" @click=${() => (this.drawer = false)} aria-hidden="true"></div>
        <main>
          <header>
            <button
              class="icon menu"
              aria-label="Show chats"
              aria-controls="sidebar"
              aria-expanded=${this.drawer ? 'true' : 'false'}
              @click=${() => (this.drawer = !this.drawer)}
            >
              ${icon('menu')}
            </button>
            <h1>${session?.title ?? 'New chat'}</h1>
            <connection-status
              .state=${conn.state}
              .pending=${sync.pending}
              .agent=${sync.agent?.name ?? ''}
              .agentOnline=${sync.agent?.online ?? true}
              .detail=${conn.lastError}
              .retryAt=${conn.retryAt}
              @retry-connection=${() => conn.retryNow()}
            ></connection-status>
            <button class="icon" aria-label="Settings" title="Settings" @click=${this._onOpenSettings}>
              ${icon('gear')}
            </button>
          </header>
          ${problems.map(
            (p) =>
              html`<div class="problem" role="alert">
                <span>${p}</span>
                <button class="icon" aria-label="Dismiss" @click=${() => store.dismissProblem(p)}>${icon('x')}</button>
              </div>`,
          )}
          <chat-view
            .chatId=${this.chatId}
            .messages=${chat.messages}
            .pins=${chat.pins}
            .typing=${chat.live.typing}
            .notice=${chat.notice}
            .loaded=${chat.isLoaded}
            @use-command=${(e: HTMLElementEventMap['use-command']) => this.composer.insert(e.detail.text)}
            @message-action=${this._onMessageAction}
            @press-button=${(e: HTMLElementEventMap['press-button']) => void sync.press(this.chatId, e.detail.messageId, e.detail.actionId)}
          ></chat-view>
          <chat-composer
            .chatId=${this.chatId}
            .draft=${this.draft}
            .running=${chat.live.turn !== undefined}
            .hint=${hint}
            .models=${sync.agent?.models ?? []}
            .model=${core.settings.model || sync.agent?.model || ''}
            @model-change=${(e: HTMLElementEventMap['model-change']) =>
              void core.saveSettings({ ...core.settings, model: e.detail.model })}
            @send-message=${this._onSend}
            @stop-turn=${this._onStop}
            @draft-change=${(e: HTMLElementEventMap['draft-change']) => void core.saveDraft(e.detail.chatId, e.detail.text)}
          ></chat-composer>
        </main>
      </div>
      ${
        this.settingsReady
          ? html`<settings-dialog
              .settings=${core.settings}
              .relay=${core.relay}
              @save-settings=${this._onSaveSettings}
              @clear-all=${this._onClearAll}
            ></settings-dialog>`
          : nothing
      }
      <div class="toasts">
        ${this.pendingUpdate ? html`<update-toast @apply-update=${() => this.pendingUpdate?.apply()}></update-toast>` : nothing}
        ${this.toast ? html`<div class="toast" role="status">${this.toast}</div>` : nothing}
      </div>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }

  protected override updated(): void {
    const title = this.core?.store.session(this.chatId)?.title;
    const next = title ? `${title} · Parley` : 'Parley';
    if (document.title !== next) document.title = next;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('notify', (e) => this.notify(e.detail.text));
  }

  private notify(text: string): void {
    this.toast = text;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = ''), 3000);
  }

  private _onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.drawer) this.drawer = false;
  }

  private _onNewChat(): void {
    location.hash = `#/c/${newChatId()}`;
    this.composer?.focus();
  }

  private async _onDeleteChat(e: HTMLElementEventMap['delete-chat']): Promise<void> {
    const core = this.core;
    if (!core) return;
    core.sync.unsubscribe(e.detail.id);
    await core.store.deleteSession(e.detail.id);
    this.notify('Chat deleted.');
    if (e.detail.id === this.chatId) location.hash = `#/c/${core.store.sessions[0]?.id ?? newChatId()}`;
  }

  private _onSend(e: HTMLElementEventMap['send-message']): void {
    void this.core?.sync.send(this.chatId, e.detail.text, e.detail.files, this.core.settings.model);
    this.view?.scrollToLatest();
  }

  private _onStop(): void {
    if (this.core && !this.core.sync.stop(this.chatId)) this.notify('Cannot stop the reply while offline.');
  }

  private _onMessageAction(e: HTMLElementEventMap['message-action']): void {
    const core = this.core;
    if (!core) return;
    const { id, action } = e.detail;
    const message = core.store.chat(this.chatId).live.messages.get(id);
    if (action === 'pin' || action === 'unpin') void core.store.setMessagePinned(this.chatId, id, action === 'pin');
    else if (action === 'delete' && message) void core.sync.discard(message);
    else if (action === 'retry' && message) void core.sync.retry(message);
  }

  private async _onOpenSettings(): Promise<void> {
    await import('./settings-dialog.ts');
    this.settingsReady = true;
    await this.updateComplete;
    await this.renderRoot.querySelector<SettingsDialog>('settings-dialog')?.open();
  }

  private async _onSaveSettings(e: HTMLElementEventMap['save-settings']): Promise<void> {
    applyTheme(e.detail.theme);
    await this.core?.saveSettings(e.detail);
    this.notify('Settings saved.');
  }

  private async _onClearAll(): Promise<void> {
    await this.core?.clearAll();
    applyTheme('system');
    this.chatId = '';
    location.hash = `#/c/${newChatId()}`;
    this.notify('All data on this device was deleted.');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app': ParleyApp;
  }
}
