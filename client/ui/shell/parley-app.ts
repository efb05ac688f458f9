/** The app shell: sidebar drawer, header, the open chat and its composer, the dialogs; routes `#/c/<chat_id>`. */

import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { AppCore } from '../../state/app-core.ts';
import { ChatFilter } from '../../state/chat-filter.ts';
import { newChatId } from '../../state/ids.ts';
import { applyTheme } from './apply-theme.ts';
import { icon } from '../common/icons.ts';
import { appStyles } from './parley-app-styles.ts';
import { appHeader, offlineHint, problemBars } from './app-header.ts';
import { chatImages } from '../chat/chat-images.ts';
import { ChatRoute } from '../controllers/chat-route.ts';
import type { ChatComposer } from '../composer/chat-composer.ts';
import type { ChatView } from '../chat/chat-view.ts';
import type { AppOverlays } from '../dialogs/app-overlays.ts';
import { reloadImported } from '../dialogs/imported-chats.ts';
import { relayNotice } from './relay-notice.ts';
import { MessageActions } from '../chat/message-actions.ts';
import { SearchShortcut } from '../controllers/search-shortcut.ts';
import { ToastController } from '../controllers/toast-controller.ts';
import { ToastHome } from './toast-stack.ts';
import '../dialogs/app-overlays.ts';
import '../composer/chat-composer.ts';
import '../chat/chat-view.ts';
import '../chat/pinned-list.ts';
import '../sidebar/session-list.ts';
import './update-toast.ts';

@customElement('parley-app')
export class ParleyApp extends LitElement {
  static override styles = appStyles;

  @state() core: AppCore | undefined;
  @state() private drawer = false;
  @state() private pendingUpdate: { apply(): void } | undefined;
  @state() private announcement = '';
  @state() private showPins = false;
  @state() private titleOpen = false;
  @state() private textMatches: ReadonlySet<string> = new Set();
  private chatFilter: ChatFilter | undefined;
  @query('chat-composer') readonly composer!: ChatComposer | null;
  @query('chat-view') readonly view!: ChatView | null;
  @query('app-overlays') private overlays!: AppOverlays;
  private readonly route = new ChatRoute(
    this,
    () => this.core,
    () => {
      this.titleOpen = false;
      void this.setDrawer(false);
    },
  );
  private readonly toast = new ToastController(this);
  private readonly toasts = new ToastHome();
  private readonly phone = matchMedia('(max-width: 760px)');
  private readonly onPhoneChange = () => void this.setDrawer(false);
  private readonly actions = new MessageActions(this);
  private readonly searchKey = new SearchShortcut(this, () => void this.overlays?.openSearch());

  get chatId(): string {
    return this.route.chatId;
  }

  /** Hands the booted state to the shell and starts routing. */
  attach(core: AppCore): void {
    this.core = core;
    core.store.addEventListener('change', () => {
      this.overlays?.invalidate();
      this.requestUpdate();
    });
    core.store.announceListeners.add((text) => (this.announcement = text));
    applyTheme(core.settings.theme);
    void this.route.route();
  }

  /** Shows a short notice; with `undo`, an Undo button for a few seconds. */
  notify(text: string, undo?: () => void): void {
    this.toast.show(text, undo ? { label: 'Undo', run: undo } : undefined);
  }

  /** Called by main when a new service worker is waiting. */
  offerUpdate(handle: { apply(): void }): void {
    this.pendingUpdate = handle;
  }

  /** Another tab changed a draft; show it here unless this tab is editing that chat. */
  draftFromTab(chatId: string, text: string): void {
    this.route.draftFromTab(chatId, text);
  }

  override render() {
    const core = this.core;
    if (!core) return html`<div class="boot" role="status">Opening Parley…</div>`;
    const { store, sync } = core;
    const chatId = this.chatId;
    const chat = store.chat(chatId);
    const title = store.session(chatId)?.title ?? 'New chat';
    const pinned = chat.shown.filter((m) => chat.pins.has(m.id)).reverse();
    const problems = [...store.problems, ...(core.relay.error ? [core.relay.error] : [])];
    return html`<div class="layout ${this.drawer ? 'drawer-open' : ''}">
        <aside id="sidebar" aria-label="Chats">
          <div class="brand">
            <img src="./icons/icon-192.png" alt="" width="28" height="28" /><span>Parley</span>
            <button class="icon close-drawer" aria-label="Hide chats" @click=${() => void this.setDrawer(false)}>
              ${icon('x')}
            </button>
          </div>
          <session-list
            .sessions=${store.sessions}
            .activeId=${chatId}
            @new-chat=${this._onNewChat}
            @rename-chat=${(e: HTMLElementEventMap['rename-chat']) => void store.renameSession(e.detail.id, e.detail.title)}
            @pin-chat=${(e: HTMLElementEventMap['pin-chat']) => void store.setSessionPinned(e.detail.id, e.detail.pinned)}
            @delete-chat=${this._onDeleteChat}
            .textMatches=${this.textMatches}
            @filter-chats=${this._onFilterChats}
          ></session-list>
        </aside>
        <div class="backdrop" @click=${() => void this.setDrawer(false)} aria-hidden="true"></div>
        <main ?inert=${this.drawer}>
          ${appHeader({
            core,
            title,
            drawer: this.drawer,
            pinCount: pinned.length,
            showPins: this.showPins,
            titleOpen: this.titleOpen,
            toggleTitle: () => (this.titleOpen = !this.titleOpen),
            toggleDrawer: () => void this.setDrawer(!this.drawer),
            togglePins: () => void this.togglePins(),
            openSearch: () => void this.overlays.openSearch(),
            openData: () => void this.overlays.openData(),
            openSettings: () => void this.overlays.openSettings(),
          })}
          ${problemBars(problems, (p) => store.dismissProblem(p))}
          ${relayNotice(core.relayAdvice, {
            remember: () => void core.rememberLinkRelay().then(() => this.toast.show('Relay remembered.')),
            dismiss: () => core.dismissRelayAdvice(),
            openSettings: () => void this.overlays.openSettings(),
          })}
          ${
            this.showPins && pinned.length
              ? html`<pinned-list
                  id="pinned"
                  .chatId=${chatId}
                  .messages=${pinned}
                  @message-action=${(e: HTMLElementEventMap['message-action']) => this.actions.act(e.detail)}
                  @reveal-message=${this._onReveal}
                ></pinned-list>`
              : nothing
          }
          <chat-view
            .chatId=${chatId}
            .messages=${chat.shown}
            .pins=${chat.pins}
            .typing=${chat.live.typing}
            .notice=${chat.notice}
            .loaded=${chat.isLoaded}
            @use-command=${(e: HTMLElementEventMap['use-command']) => this.composer?.insert(e.detail.text)}
            @message-action=${(e: HTMLElementEventMap['message-action']) => this.actions.act(e.detail)}
            @open-image=${this._onOpenImage}
            @open-images=${(e: HTMLElementEventMap['open-images']) => void this.overlays.openImages(e.detail.images, e.detail.index)}
            @press-button=${(e: HTMLElementEventMap['press-button']) => void sync.press(chatId, e.detail.messageId, e.detail.actionId)}
          ></chat-view>
          <chat-composer
            .chatId=${chatId}
            .draft=${this.route.draft}
            .running=${chat.live.turn !== undefined}
            .hint=${offlineHint(core)}
            .models=${sync.agent?.models ?? []}
            .model=${core.settings.model || sync.agent?.model || ''}
            @model-change=${(e: HTMLElementEventMap['model-change']) =>
              void core.saveSettings({ ...core.settings, model: e.detail.model })}
            @send-message=${(e: HTMLElementEventMap['send-message']) => void this.actions.send(e.detail)}
            @stop-turn=${this._onStop}
            @draft-change=${(e: HTMLElementEventMap['draft-change']) => void core.saveDraft(e.detail.chatId, e.detail.text)}
          ></chat-composer>
        </main>
      </div>
      <app-overlays
        .db=${store.db}
        .chatId=${chatId}
        .chatTitle=${title}
        .settings=${core.settings}
        .relay=${core.relay}
        @save-settings=${this._onSaveSettings}
        @clear-all=${this._onClearAll}
        @reveal-message=${this._onReveal}
        @dialog-closed=${() => this.requestUpdate()}
        @data-imported=${(e: HTMLElementEventMap['data-imported']) => void reloadImported(store, e.detail.chats)}
      ></app-overlays>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }

  /** The update offer and the current notice; shown by `toasts` on the page or inside the open dialog. */
  private renderToasts() {
    return html`${this.pendingUpdate ? html`<update-toast @apply-update=${() => this.pendingUpdate?.apply()}></update-toast>` : nothing}
    ${
      this.toast.text
        ? html`<div class="toast" role="status">
            ${this.toast.text}
            ${this.toast.action ? html`<button @click=${() => this.toast.act()}>${this.toast.action.label}</button>` : nothing}
          </div>`
        : nothing
    }`;
  }

  protected override updated(): void {
    if (this.core) this.toasts.place(this.renderToasts(), this.overlays?.openDialogHost());
    const title = this.core?.store.session(this.chatId)?.title;
    const next = title ? `${title} · Parley` : 'Parley';
    if (document.title !== next) document.title = next;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.toasts.remove();
    removeEventListener('keydown', this.onKey);
    this.phone.removeEventListener('change', this.onPhoneChange);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('keydown', this.onKey);
    // A drawer left open when the window grows past phone width would keep the chat inert with no way to close it.
    this.phone.addEventListener('change', this.onPhoneChange);
    this.addEventListener('notify', (e) => this.toast.show(e.detail.text));
  }

  /**
   * Esc anywhere on the page closes the drawer, else the pinned list, else stops the running reply. Whatever
   * else Esc closes (search, a rename, the connection details) prevents its default, and a modal dialog closes
   * itself, so one Esc does one thing.
   */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
    if (e.composedPath().some((n) => n instanceof HTMLDialogElement) || this.overlays?.openDialogHost()) return;
    if (this.drawer) void this.setDrawer(false);
    else if (this.showPins) void this.togglePins();
    else if (this.core?.store.chat(this.chatId).live.turn !== undefined) this._onStop();
    else return;
    e.preventDefault();
  };

  /**
   * The phone drawer is modal: the chat behind it is inert while it is open, focus starts in it, and goes back
   * to the menu button when it closes (unless focus has moved on, e.g. to a dialog).
   */
  private async setDrawer(open: boolean): Promise<void> {
    if (open === this.drawer) return;
    this.drawer = open;
    await this.updateComplete;
    const active = this.shadowRoot?.activeElement ?? null;
    if (open) this.renderRoot.querySelector<HTMLElement>('.close-drawer')?.focus();
    else if (!active || this.renderRoot.querySelector('aside')?.contains(active)) {
      this.renderRoot.querySelector<HTMLButtonElement>('header button.menu')?.focus();
    }
  }

  /** The pinned list opens with focus on its first entry; closing it (or Esc) gives focus back to its button. */
  private async togglePins(): Promise<void> {
    this.showPins = !this.showPins;
    await this.updateComplete;
    if (this.showPins) this.renderRoot.querySelector('pinned-list')?.focus();
    else this.renderRoot.querySelector<HTMLButtonElement>('header button.pins')?.focus();
  }

  private _onNewChat(): void {
    location.hash = `#/c/${newChatId()}`;
    this.composer?.focus();
  }

  private async _onDeleteChat(e: HTMLElementEventMap['delete-chat']): Promise<void> {
    const core = this.core;
    if (!core) return;
    core.sync.unsubscribe(e.detail.id);
    const undo = await core.store.deleteSession(e.detail.id);
    this.notify(
      'Chat deleted.',
      undo &&
        (() =>
          void undo().then(() => {
            void core.sync.subscribe(e.detail.id);
            location.hash = `#/c/${e.detail.id}`;
          })),
    );
    if (e.detail.id === this.chatId) location.hash = `#/c/${core.store.sessions[0]?.id ?? newChatId()}`;
  }

  private async _onFilterChats(e: HTMLElementEventMap['filter-chats']): Promise<void> {
    this.chatFilter ??= new ChatFilter(this.core?.store.db ?? null);
    const found = await this.chatFilter.match(e.detail.query);
    if (found) this.textMatches = found;
  }

  private _onStop(): void {
    if (this.core && !this.core.sync.stop(this.chatId)) this.toast.show('Cannot stop the reply while offline.');
  }

  private async _onOpenImage(e: HTMLElementEventMap['open-image']): Promise<void> {
    const { images, index } = await chatImages(this.core?.store.chat(this.chatId).messages ?? [], e.detail.id);
    await this.overlays.openImages(images, index);
  }

  /** Opens a chat (if another) and scrolls to one of its messages ('' for just the chat). */
  private async _onReveal(e: HTMLElementEventMap['reveal-message']): Promise<void> {
    const { chatId, id } = e.detail;
    this.showPins = false;
    await this.route.open(chatId);
    await this.core?.store.chat(chatId).load();
    this.requestUpdate();
    await this.updateComplete;
    if (id && !(await this.view?.reveal(id))) this.toast.show('That message is no longer on this device.');
  }

  private async _onSaveSettings(e: HTMLElementEventMap['save-settings']): Promise<void> {
    applyTheme(e.detail.theme);
    await this.core?.saveSettings(e.detail);
    this.toast.show('Settings saved.');
  }

  private async _onClearAll(): Promise<void> {
    await this.core?.clearAll();
    applyTheme('system');
    this.route.restart();
    this.toast.show('All data on this device was deleted.');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app': ParleyApp;
  }
}
