/** The app shell: sidebar drawer, header with connection status, the open chat and its composer; routes `#/c/<chat_id>`. */

import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { CHAT_ID_PATTERN, IMAGE_MIME_TYPES } from '../../shared/index.ts';
import { attachmentUrl } from '../state/attachment-urls.ts';
import type { AppCore } from '../state/app-core.ts';
import { newChatId } from '../state/ids.ts';
import type { LocalMessage, Settings } from '../state/types.ts';
import { appStyles } from './parley-app-styles.ts';
import type { ChatComposer } from './chat-composer.ts';
import type { ChatView } from './chat-view.ts';
import type { AppOverlays } from './app-overlays.ts';
import type { SettingsDialog } from './settings-dialog.ts';
import { icon } from './icons.ts';
import './app-overlays.ts';
import './chat-composer.ts';
import './chat-view.ts';
import './connection-status.ts';
import './pinned-list.ts';
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
  @state() private showPins = false;
  @query('chat-composer') private composer!: ChatComposer;
  @query('chat-view') private view!: ChatView;
  @query('app-overlays') private overlays!: AppOverlays;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  /** Hands the booted state to the shell and starts routing. */
  attach(core: AppCore): void {
    this.core = core;
    const rerender = () => {
      this.overlays?.invalidate();
      this.requestUpdate();
    };
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
    const pinned = chat.messages.filter((m) => chat.pins.has(m.id)).reverse();
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
            <button
              class="icon"
              aria-label="Search all chats (Ctrl+K)"
              title="Search (Ctrl+K)"
              @click=${() => void this.overlays.openSearch()}
            >
              ${icon('search')}
            </button>
            ${
              pinned.length
                ? html`<button
                    class="icon pins"
                    aria-label="Pinned messages (${pinned.length})"
                    aria-expanded=${this.showPins ? 'true' : 'false'}
                    aria-controls="pinned"
                    title="Pinned messages"
                    @click=${() => (this.showPins = !this.showPins)}
                  >
                    ${icon('pin')}<span class="count">${pinned.length}</span>
                  </button>`
                : nothing
            }
            <button
              class="icon"
              aria-label="Export and import"
              title="Export / import"
              @click=${() => void this.overlays.openData()}
            >
              ${icon('box')}
            </button>
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
          ${
            this.showPins && pinned.length
              ? html`<pinned-list
                  id="pinned"
                  .chatId=${this.chatId}
                  .messages=${pinned}
                  @message-action=${this._onMessageAction}
                  @reveal-message=${this._onReveal}
                ></pinned-list>`
              : nothing
          }
          <chat-view
            .chatId=${this.chatId}
            .messages=${chat.messages}
            .pins=${chat.pins}
            .typing=${chat.live.typing}
            .notice=${chat.notice}
            .loaded=${chat.isLoaded}
            @use-command=${(e: HTMLElementEventMap['use-command']) => this.composer.insert(e.detail.text)}
            @message-action=${this._onMessageAction}
            @open-image=${this._onOpenImage}
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
      <app-overlays
        .db=${store.db}
        .chatId=${this.chatId}
        .chatTitle=${session?.title ?? 'New chat'}
        @reveal-message=${this._onReveal}
        @data-imported=${this._onImported}
      ></app-overlays>
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
    addEventListener('keydown', this._onGlobalKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('keydown', this._onGlobalKey);
  }

  private notify(text: string): void {
    this.toast = text;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = ''), 3000);
  }

  private _onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.drawer) this.drawer = false;
  }

  /** Ctrl/Cmd+K opens search from anywhere, even from the message field. */
  private readonly _onGlobalKey = (e: KeyboardEvent): void => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      void this.overlays?.openSearch();
    }
  };

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

  private async _onSend(e: HTMLElementEventMap['send-message']): Promise<void> {
    const core = this.core;
    if (!core) return;
    const { text, files, replaces } = e.detail;
    const chatId = this.chatId;
    if (replaces) {
      // Editing rewrites the conversation from that message on: it and what followed go, the new text is sent.
      const messages = core.store.chat(chatId).messages;
      const from = messages.findIndex((m) => m.id === replaces);
      for (const m of from < 0 ? [] : messages.slice(from)) await core.sync.discard(m);
    }
    void core.sync.send(chatId, text, files, core.settings.model);
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
    else if (action === 'edit' && message) void this.editMessage(message);
    else if (action === 'regenerate' && message) void this.regenerate(message);
  }

  /** Loads one of the user's messages (text and files) into the composer to be edited and sent again. */
  private async editMessage(message: LocalMessage): Promise<void> {
    const db = this.core?.store.db;
    const files = await Promise.all(
      (message.attachments ?? []).map(async (a) => {
        const stored = await db?.getAttachment(a.id);
        return stored ? new File([stored.blob], a.name, { type: a.mime }) : undefined;
      }),
    );
    this.composer.edit(
      message.id,
      message.text,
      files.filter((f) => f !== undefined),
    );
  }

  /** Asks again for the last reply: it and the message it answered go, and that message is sent anew. */
  private async regenerate(reply: LocalMessage): Promise<void> {
    const core = this.core;
    if (!core) return;
    const messages = core.store.chat(this.chatId).messages;
    const asked = messages
      .slice(0, messages.indexOf(reply))
      .reverse()
      .find((m) => m.role === 'user');
    if (!asked) return;
    await core.sync.discard(reply);
    await core.sync.retry(asked);
    this.view?.scrollToLatest();
  }

  private async _onOpenImage(e: HTMLElementEventMap['open-image']): Promise<void> {
    const refs = (this.core?.store.chat(this.chatId).messages ?? [])
      .flatMap((m) => m.attachments ?? [])
      .filter((a) => IMAGE_MIME_TYPES.includes(a.mime));
    const urls = await Promise.all(refs.map((a) => attachmentUrl(a.id)));
    const images = refs.flatMap((a, i) => (urls[i] ? [{ id: a.id, url: urls[i], name: a.name }] : []));
    const index = Math.max(
      0,
      images.findIndex((img) => img.id === e.detail.id),
    );
    await this.overlays.openImages(images, index);
  }

  /** Opens a chat (if another) and scrolls to one of its messages ('' for just the chat). */
  private async _onReveal(e: HTMLElementEventMap['reveal-message']): Promise<void> {
    const { chatId, id } = e.detail;
    this.showPins = false;
    if (chatId !== this.chatId) {
      history.pushState(null, '', `#/c/${chatId}`);
      await this.route();
    }
    await this.core?.store.chat(chatId).load();
    this.requestUpdate();
    await this.updateComplete;
    if (id && !(await this.view.reveal(id))) this.notify('That message is no longer on this device.');
  }

  private async _onImported(e: HTMLElementEventMap['data-imported']): Promise<void> {
    const store = this.core?.store;
    if (!store) return;
    await store.reloadSessions();
    store.emitLocal({ kind: 'sessions' });
    for (const id of e.detail.chats) {
      await store.reloadMessages(id);
      store.emitLocal({ kind: 'messages', chat_id: id });
      store.emitLocal({ kind: 'pins', chat_id: id });
    }
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
