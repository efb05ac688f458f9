/** Hosts the dialogs loaded on first use (search, export/import, settings, a chat's settings, the image lightbox, keyboard shortcuts), so they cost nothing at start. */

import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AgentInfo } from '../../../shared/model.ts';
import type { RelayConfig } from '../../state/config.ts';
import type { ChatArchive } from '../../state/local-data.ts';
import type { SearchIndex } from '../../state/search-index.ts';
import type { Settings } from '../../state/types.ts';
import type { LightboxImage } from './image-lightbox.ts';

type Overlay = 'search' | 'data' | 'lightbox' | 'settings' | 'shortcuts' | 'chat-settings';

/** Events from the dialogs bubble through this element to the app (reveal-message, data-imported, notify, save-settings, save-chat-settings, clear-all). */
@customElement('app-overlays')
export class AppOverlays extends LitElement {
  @property({ attribute: false }) db: ChatArchive | null = null;
  @property() chatId = '';
  @property() chatTitle = '';
  @property({ attribute: false }) settings: Settings | undefined;
  @property({ attribute: false }) relay: RelayConfig | undefined;
  @property({ attribute: false }) agent: AgentInfo | undefined;
  /** The open chat's workspace fields (its settings among them). */
  @property({ attribute: false }) chatFields: Readonly<Record<string, { value: unknown }>> = {};
  @state() private loaded = new Set<Overlay>();
  @state() private index: SearchIndex | undefined;
  @state() private images: LightboxImage[] = [];
  /** Set when stored chats may have changed since the index was built. */
  private stale = true;

  /** Stored chats changed: the next search rebuilds its index. */
  invalidate(): void {
    this.stale = true;
  }

  override render() {
    return html`${this.loaded.has('search') ? html`<search-dialog .index=${this.index}></search-dialog>` : nothing}${
      this.loaded.has('data')
        ? html`<data-dialog .db=${this.db} .chatId=${this.chatId} .chatTitle=${this.chatTitle}></data-dialog>`
        : nothing
    }${this.loaded.has('lightbox') ? html`<image-lightbox .images=${this.images}></image-lightbox>` : nothing}${
      this.loaded.has('settings') && this.settings
        ? html`<settings-dialog .settings=${this.settings} .relay=${this.relay}></settings-dialog>`
        : nothing
    }${this.loaded.has('shortcuts') ? html`<shortcuts-dialog></shortcuts-dialog>` : nothing}${
      this.loaded.has('chat-settings')
        ? html`<chat-settings-dialog
            .chatId=${this.chatId}
            .agent=${this.agent}
            .fields=${this.chatFields}
          ></chat-settings-dialog>`
        : nothing
    }`;
  }

  private async load(name: Overlay, module: Promise<unknown>): Promise<void> {
    await module;
    if (!this.loaded.has(name)) this.loaded = new Set(this.loaded).add(name);
    await this.updateComplete;
  }

  /** The dialog element showing now, if any (the shell puts its notices inside it, above the backdrop). */
  openDialogHost(): HTMLElement | undefined {
    const q = (
      tag:
        | 'search-dialog'
        | 'data-dialog'
        | 'settings-dialog'
        | 'image-lightbox'
        | 'shortcuts-dialog'
        | 'chat-settings-dialog',
    ) => this.renderRoot.querySelector(tag) ?? undefined;
    return [
      q('search-dialog'),
      q('data-dialog'),
      q('settings-dialog'),
      q('image-lightbox'),
      q('shortcuts-dialog'),
      q('chat-settings-dialog'),
    ].find((d) => d?.isOpen);
  }

  async openSearch(): Promise<void> {
    const [, { SearchIndex }] = await Promise.all([
      this.load('search', import('./search-dialog.ts')),
      import('../../state/search-index.ts'),
    ]);
    const dialog = this.renderRoot.querySelector('search-dialog');
    const opened = dialog?.open();
    if (this.stale && this.db) {
      this.stale = false;
      this.index = await SearchIndex.fromDb(this.db);
    }
    await opened;
  }

  async openData(): Promise<void> {
    await this.load('data', import('./data-dialog.ts'));
    await this.renderRoot.querySelector('data-dialog')?.open();
  }

  async openSettings(): Promise<void> {
    await this.load('settings', import('./settings-dialog.ts'));
    await this.renderRoot.querySelector('settings-dialog')?.open();
  }

  /** The open chat's settings (model, system prompt, parameters). */
  async openChatSettings(): Promise<void> {
    await this.load('chat-settings', import('./chat-settings-dialog.ts'));
    await this.renderRoot.querySelector('chat-settings-dialog')?.open();
  }

  async openShortcuts(): Promise<void> {
    await this.load('shortcuts', import('./shortcuts-dialog.ts'));
    await this.renderRoot.querySelector('shortcuts-dialog')?.open();
  }

  async openImages(images: LightboxImage[], index: number): Promise<void> {
    await this.load('lightbox', import('./image-lightbox.ts'));
    this.images = images;
    await this.updateComplete;
    await this.renderRoot.querySelector('image-lightbox')?.show(index);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'app-overlays': AppOverlays;
  }
}
