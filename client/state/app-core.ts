/** Boots the app's state: the database (or a clear reason why not), settings, the relay config, the store and its sync. */

import { setAttachmentSource } from './attachment-urls.ts';
import { ChatStore } from './chat-store.ts';
import { ChatSync } from './chat-sync.ts';
import { loadFileConfig, resolveRelay, type FileConfig, type RelayConfig } from './config.ts';
import { ParleyDb } from './db.ts';
import { newId } from './ids.ts';
import { relayAdvice, rememberRelay, type RelayAdvice } from './relay-advice.ts';
import { TabSync } from './tab-sync.ts';
import { DEFAULT_SETTINGS, type Settings } from './types.ts';

/** Per tab (kept across reloads): the relay may tell connections apart by it. */
function tabClientId(): string {
  try {
    const known = sessionStorage.getItem('parley-client-id');
    if (known) return known;
    const id = newId('tab');
    sessionStorage.setItem('parley-client-id', id);
    return id;
  } catch {
    return newId('tab');
  }
}

export interface CoreHooks {
  onDraft(chatId: string, text: string): void;
  onCleared(): void;
}

export class AppCore {
  sync!: ChatSync;
  readonly tabs: TabSync;
  relay!: RelayConfig;
  private readonly clientId = tabClientId();
  private adviceDismissed = false;

  private constructor(
    readonly store: ChatStore,
    public settings: Settings,
    private readonly fileConfig: FileConfig | string,
    hooks: CoreHooks,
  ) {
    this.tabs = new TabSync(store, {
      onDraft: hooks.onDraft,
      onOutbox: () => this.sync.reloadOutbox(),
      onCleared: () => {
        void store.clearAll(true);
        hooks.onCleared();
      },
    });
    this.connect();
  }

  static async boot(hooks: CoreHooks): Promise<AppCore> {
    const problems: string[] = [];
    let db: ParleyDb | null = null;
    try {
      db = await ParleyDb.open('parley', {
        onBlocked: () =>
          problems.push(
            'Parley is updating its local database but another tab still has the old version open. Close other Parley tabs to continue.',
          ),
        onVersionChange: () =>
          store.reportError(
            new Error('A newer version of Parley opened in another tab. Reload this tab to keep saving.'),
          ),
      });
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
    const store = new ChatStore(db);
    for (const p of problems) store.reportError(new Error(p));
    setAttachmentSource(db);
    const [settings, fileConfig] = await Promise.all([
      db ? db.getSettings().catch(() => DEFAULT_SETTINGS) : DEFAULT_SETTINGS,
      loadFileConfig(location.href),
      store.init(),
    ]);
    const core = new AppCore(store, settings, fileConfig, hooks);
    // What waits to be written (a draft) is written before the page may be discarded.
    addEventListener('pagehide', () => void store.data.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void store.data.flush();
    });
    await core.sync.start();
    return core;
  }

  private connect(): void {
    this.relay = resolveRelay(location.href, this.settings, this.fileConfig);
    this.sync = new ChatSync(this.store, this.relay, this.clientId);
  }

  async saveSettings(settings: Settings): Promise<void> {
    const relayChanged =
      settings.relayUrl !== this.settings.relayUrl ||
      settings.token !== this.settings.token ||
      settings.tokenUrl !== this.settings.tokenUrl;
    this.settings = settings;
    await this.store.data.putSettings(settings);
    if (relayChanged) {
      this.sync.connection.stop();
      this.connect();
      await this.sync.start();
    }
    this.store.changed();
  }

  /** What the page should say about the relay, if anything (see relay-advice.ts). */
  get relayAdvice(): RelayAdvice | undefined {
    const { connection } = this.sync;
    return relayAdvice({
      relay: this.relay,
      settings: this.settings,
      state: connection.state,
      reachedOnce: connection.ready !== undefined,
      lastError: connection.lastError,
      online: navigator.onLine,
      dismissed: this.adviceDismissed,
    });
  }

  /** The user agreed to keep the relay this page was opened with (a `?relay=` link). */
  async rememberLinkRelay(): Promise<void> {
    await this.saveSettings(rememberRelay(this.settings, this.relay));
  }

  dismissRelayAdvice(): void {
    this.adviceDismissed = true;
    this.store.changed();
  }

  async clearAll(): Promise<void> {
    this.sync.connection.stop();
    await this.store.clearAll();
    this.settings = DEFAULT_SETTINGS;
    this.connect();
    await this.sync.start();
  }

  async draft(chatId: string): Promise<string> {
    return (await this.store.guard(() => this.store.data.getDraft(chatId)))?.text ?? '';
  }

  /** The composer already waits for a pause in typing; the clear after a send is part of the send's own write. */
  saveDraft(chatId: string, text: string): Promise<void> {
    return this.store.data.commit({ drafts: [{ chat_id: chatId, text }], announce: true });
  }
}
