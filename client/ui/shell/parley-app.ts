/**
 * Loads a part few screens show (a deleted chat's notice, the pinned list) in its own chunk; its element upgrades in
 * place when the chunk arrives. True, so it can guard the template that shows it.
 */
function lazy(chunk: Promise<unknown>): true {
  void chunk.catch(() => undefined);
  return true;
}

/** The app shell: sidebar drawer, header, the open chat and its composer, the dialogs; routes `#/c/<chat_id>`. */

import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { AppCore } from '../../state/app-core.ts';
import { chatImages } from '../chat/chat-images.ts';
import { MessageActions } from '../chat/message-actions.ts';
import type { ChatView } from '../chat/chat-view.ts';
import type { ChatComposer } from '../composer/chat-composer.ts';
import { ChatRoute, routeChatId } from '../controllers/chat-route.ts';
import { CoreController } from '../controllers/core-controller.ts';
import { DrawerController } from '../controllers/drawer-controller.ts';
import { KeyboardShortcuts } from '../controllers/keyboard-shortcuts.ts';
import type { AppOverlays } from '../dialogs/app-overlays.ts';
import { reloadImported } from '../dialogs/imported-chats.ts';
import { SessionActions } from '../sidebar/session-actions.ts';
import { appHeader, offlineHint, problemBars } from './app-header.ts';
import { appSidebar } from './app-sidebar.ts';
import { AppToasts } from './app-toasts.ts';
import { applyTheme } from './apply-theme.ts';
import { appStyles } from './parley-app-styles.ts';
import { relayNotice } from './relay-notice.ts';
import '../chat/chat-view.ts';
import '../composer/chat-composer.ts';
import '../dialogs/app-overlays.ts';

@customElement('parley-app')
export class ParleyApp extends LitElement {
  static override styles = appStyles;

  @state() private showPins = false;
  @state() private titleOpen = false;
  @query('chat-composer') readonly composer!: ChatComposer | null;
  @query('chat-view') readonly view!: ChatView | null;
  @query('app-overlays') private overlays!: AppOverlays;
  private readonly booted = new CoreController(this, () => this.overlays?.invalidate());
  private readonly drawer = new DrawerController(this, {
    drawer: 'aside',
    first: '.close-drawer',
    opener: 'header button.menu',
  });
  private readonly route = new ChatRoute(
    this,
    () => this.core,
    () => {
      this.titleOpen = false;
      void this.drawer.set(false);
    },
  );
  private readonly toasts = new AppToasts(
    this,
    () => this.core !== undefined,
    () => this.overlays?.openDialogHost(),
  );
  private readonly actions = new MessageActions(this);
  private readonly sessions = new SessionActions(this);
  private readonly keys = new KeyboardShortcuts(this, {
    help: () => void this.overlays?.openShortcuts(),
    search: () => void this.overlays?.openSearch(),
    'new-chat': () => this.sessions.newChat(),
    'next-chat': () => this.stepChat(1),
    'previous-chat': () => this.stepChat(-1),
    'chat-settings': () => {
      if (this.core?.store.isDeleted(this.chatId)) return false;
      void this.overlays?.openChatSettings();
      return true;
    },
    'focus-composer': () => this.composer?.focus(),
    stop: () => this.onEscape(),
  });

  /** The booted state (undefined while it boots). */
  get core(): AppCore | undefined {
    return this.booted.core;
  }

  get chatId(): string {
    return this.route.chatId;
  }

  /** Hands the booted state to the shell and starts routing. */
  attach(core: AppCore): void {
    this.booted.attach(core);
    applyTheme(core.settings.theme);
    void this.route.route();
  }

  /** Shows a short notice; with `undo`, an Undo button for a few seconds. */
  notify(text: string, undo?: () => void): void {
    this.toasts.notify(text, undo);
  }

  /** Called by main when a new service worker is waiting. */
  offerUpdate(handle: { apply(): void }): void {
    this.toasts.offerUpdate(handle);
  }

  /** Another tab changed a draft; show it here unless this tab is editing that chat. */
  draftFromTab(chatId: string, text: string): void {
    this.route.draftFromTab(chatId, text);
  }

  override render() {
    const core = this.core;
    if (!core) return html`<div class="boot" role="status">Opening Parley…</div>`;
    const { store } = core;
    const chatId = this.chatId;
    const chat = store.chat(chatId);
    const title = store.isDeleted(chatId)
      ? store.book.deletedTitle(chatId)
      : (store.session(chatId)?.title ?? 'New chat');
    const pinned = chat.shown.filter((m) => chat.pins.has(m.id)).reverse();
    const chatFields = store.book.workspace.get(chatId)?.fields ?? {};
    const problems = [...store.problems, ...(core.relay.error ? [core.relay.error] : [])];
    return html`<div class="layout ${this.drawer.open ? 'drawer-open' : ''}">
        ${appSidebar({
          sessions: store.sessions,
          chatId,
          actions: this.sessions,
          closeDrawer: () => void this.drawer.set(false),
        })}
        <div class="backdrop" @click=${() => void this.drawer.set(false)} aria-hidden="true"></div>
        <main ?inert=${this.drawer.open}>
          ${appHeader({
            core,
            title,
            drawer: this.drawer.open,
            pinCount: pinned.length,
            showPins: this.showPins,
            titleOpen: this.titleOpen,
            chatFields: store.isDeleted(chatId) ? undefined : chatFields,
            toggleTitle: () => (this.titleOpen = !this.titleOpen),
            toggleDrawer: () => void this.drawer.set(!this.drawer.open),
            togglePins: () => void this.togglePins(),
            openSearch: () => void this.overlays.openSearch(),
            openData: () => void this.overlays.openData(),
            openSettings: () => void this.overlays.openSettings(),
            openChatSettings: () => void this.overlays.openChatSettings(),
          })}
          ${problemBars(problems, (p) => store.dismissProblem(p))}
          ${relayNotice(core.relayAdvice, {
            remember: () => void core.rememberLinkRelay().then(() => this.notify('Relay remembered.')),
            dismiss: () => core.dismissRelayAdvice(),
            openSettings: () => void this.overlays.openSettings(),
          })}
          ${
            this.showPins && pinned.length && lazy(import('../chat/pinned-list.ts'))
              ? html`<pinned-list
                  id="pinned"
                  .chatId=${chatId}
                  .messages=${pinned}
                  @message-action=${(e: HTMLElementEventMap['message-action']) => this.actions.act(e.detail)}
                  @reveal-message=${this._onReveal}
                ></pinned-list>`
              : nothing
          }
          ${
            store.isDeleted(chatId) && lazy(import('../chat/deleted-chat.ts'))
              ? html`<deleted-chat
                  .chatId=${chatId}
                  .chatTitle=${store.book.deletedTitle(chatId)}
                  @restore-chat=${(e: HTMLElementEventMap['restore-chat']) => void this.sessions.restore(e.detail)}
                ></deleted-chat>`
              : this.renderChat()
          }
        </main>
      </div>
      <app-overlays
        .db=${store.archive}
        .chatId=${chatId}
        .chatTitle=${title}
        .settings=${core.settings}
        .relay=${core.relay}
        .agent=${core.sync.agent}
        .chatFields=${chatFields}
        @save-chat-settings=${this._onSaveChatSettings}
        @save-settings=${this._onSaveSettings}
        @clear-all=${this._onClearAll}
        @reveal-message=${this._onReveal}
        @dialog-closed=${() => this.requestUpdate()}
        @data-imported=${(e: HTMLElementEventMap['data-imported']) => void reloadImported(store, core.sync, e.detail.chats)}
      ></app-overlays>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.booted.announcement}</div>`;
  }

  /** The open chat and its composer. */
  private renderChat() {
    const core = this.core;
    if (!core) return nothing;
    const { store, sync } = core;
    const chatId = this.chatId;
    const chat = store.chat(chatId);
    return html`<chat-view
        .chatId=${chatId}
        .messages=${chat.branch}
        .versions=${chat.versions}
        .pins=${chat.pins}
        .typing=${chat.typing}
        .notice=${chat.notice}
        .loaded=${chat.isLoaded}
        .queuedAnswers=${sync.queuedAnswers(chatId)}
        @use-command=${(e: HTMLElementEventMap['use-command']) => this.composer?.insert(e.detail.text)}
        @message-action=${(e: HTMLElementEventMap['message-action']) => this.actions.act(e.detail)}
        @open-image=${this._onOpenImage}
        @open-images=${(e: HTMLElementEventMap['open-images']) => void this.overlays.openImages(e.detail.images, e.detail.index)}
        @press-button=${(e: HTMLElementEventMap['press-button']) => void sync.press(chatId, e.detail.messageId, e.detail.actionId)}
        @answer-request=${(e: HTMLElementEventMap['answer-request']) => void sync.answer(chatId, e.detail)}
      ></chat-view>
      <chat-composer
        .chatId=${chatId}
        .draft=${this.route.draft}
        .running=${chat.turn !== undefined}
        .hint=${offlineHint(core)}
        @send-message=${(e: HTMLElementEventMap['send-message']) => void this.actions.send(e.detail)}
        @stop-turn=${this._onStop}
        @draft-change=${(e: HTMLElementEventMap['draft-change']) => void core.saveDraft(e.detail.chatId, e.detail.text)}
      ></chat-composer>`;
  }

  protected override updated(): void {
    const title = this.core?.store.session(this.chatId)?.title;
    const next = title ? `${title} · Parley` : 'Parley';
    if (document.title !== next) document.title = next;
  }

  /** Opens the chat `step` places away in the sidebar's order (pinned first, as it shows them), wrapping around. */
  private stepChat(step: number): boolean {
    const sessions = this.core?.store.sessions ?? [];
    const ordered = [...sessions.filter((s) => s.pinned), ...sessions.filter((s) => !s.pinned)];
    if (ordered.length === 0) return false;
    // From where the address says: a key pressed again before the last step's hashchange steps on from there.
    const current = routeChatId(location.hash) ?? this.chatId;
    const at = ordered.findIndex((s) => s.id === current);
    const next = ordered[at === -1 ? 0 : (at + step + ordered.length) % ordered.length];
    if (next && next.id !== current) location.hash = `#/c/${next.id}`;
    return true;
  }

  /** Esc closes the drawer, else the pinned list, else stops the running reply (the `stop` shortcut). */
  private onEscape(): boolean {
    if (this.overlays?.openDialogHost()) return false;
    if (this.drawer.open) void this.drawer.set(false);
    else if (this.showPins) void this.togglePins();
    else if (this.core?.store.chat(this.chatId).turn !== undefined) this._onStop();
    else return false;
    return true;
  }

  /** The pinned list opens with focus on its first entry; closing it (or Esc) gives focus back to its button. */
  private async togglePins(): Promise<void> {
    this.showPins = !this.showPins;
    if (this.showPins) await import('../chat/pinned-list.ts');
    await this.updateComplete;
    if (this.showPins) this.renderRoot.querySelector('pinned-list')?.focus();
    else this.renderRoot.querySelector<HTMLButtonElement>('header button.pins')?.focus();
  }

  private _onStop(): void {
    if (this.core && !this.core.sync.stop(this.chatId)) this.notify('Cannot stop the reply while offline.');
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
    await this.core?.store.opened(chatId);
    // A message on a version not shown (a pin, a search hit) brings its branch in first.
    if (id) this.core?.store.chat(chatId).showMessage(id);
    this.requestUpdate();
    await this.updateComplete;
    if (id && !(await this.view?.reveal(id))) this.notify('That message is no longer on this device.');
  }

  private async _onSaveSettings(e: HTMLElementEventMap['save-settings']): Promise<void> {
    applyTheme(e.detail.theme);
    await this.core?.saveSettings(e.detail);
    this.notify('Settings saved.');
  }

  private async _onSaveChatSettings(e: HTMLElementEventMap['save-chat-settings']): Promise<void> {
    await this.core?.store.setChatSettings(e.detail.chatId, e.detail.fields);
    this.notify('Chat settings saved.');
  }

  private async _onClearAll(): Promise<void> {
    await this.core?.clearAll();
    applyTheme('system');
    this.route.restart();
    this.notify('All data on this device was deleted.');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app': ParleyApp;
  }
}
