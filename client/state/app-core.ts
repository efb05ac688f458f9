/** Boots the app's state: the database (or a clear reason why not), settings, the relay config, the store and its sync. */

import { CHAT_ID_PATTERN } from '../../shared/index.ts';
import { setAttachmentSource } from './attachment-urls.ts';
import { ChatStore } from './chat-store.ts';
import {
  keepFileConfig,
  keptFileConfig,
  loadFileConfig,
  resolveRelay,
  type FileConfig,
  type RelayConfig,
} from './config.ts';
import { ParleyDb } from './db.ts';
import { newId } from './ids.ts';
import { relayAdvice, rememberRelay, type RelayAdvice } from './relay-advice.ts';
import { SyncFront } from './sync-front.ts';
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
  /** The sync from the first paint on; its relay side loads when `start` is called. */
  readonly sync: SyncFront;
  readonly tabs: TabSync;
  relay: RelayConfig;
  private readonly clientId = tabClientId();
  private adviceDismissed = false;
  /** The sync's start (outbox read, relay dialled): a reconnect waits for it, so the old connection stays stopped. */
  private started: Promise<void> = Promise.resolve();
  private starting = false;

  private constructor(
    readonly store: ChatStore,
    public settings: Settings,
    private fileConfig: FileConfig | string,
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
    this.sync = new SyncFront(store);
    this.relay = resolveRelay(location.href, settings, fileConfig);
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
    // config.json as read last time, if this browser has read it: the start does not wait for the file.
    const kept = keptFileConfig();
    const reading = loadFileConfig(location.href);
    const [settings, fileConfig] = await Promise.all([
      db ? db.getSettings().catch(() => DEFAULT_SETTINGS) : DEFAULT_SETTINGS,
      kept ?? reading.then((read) => read ?? {}),
      // The chat the route will open (the hash's, else the newest): its first page is read as soon as the sessions
      // are, while the rest of the start runs, instead of once the shell has mounted and routed.
      store.init().then(() => {
        const m = /^#\/c\/([^/?#]+)$/.exec(location.hash);
        const hashed = m?.[1] ? decodeURIComponent(m[1]) : undefined;
        const id = hashed && CHAT_ID_PATTERN.test(hashed) ? hashed : store.sessions[0]?.id;
        if (id) store.chat(id);
      }),
    ]);
    const core = new AppCore(store, settings, fileConfig, hooks);
    void reading.then((read) => (read === undefined ? undefined : core.fileConfigRead(read)));
    // What waits to be written (a draft) is written before the page may be discarded.
    addEventListener('pagehide', () => void store.data.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void store.data.flush();
    });
    return core;
  }

  /**
   * Loads the relay side and dials the relay; called once the shell has rendered. The outbox is read and the relay
   * dialled after the first paint, not before it: what is queued shows from the messages themselves, and sends made
   * meanwhile are written and queued (SyncFront, OutboxSender.reload).
   */
  start(): Promise<void> {
    if (this.starting) return this.started;
    this.starting = true;
    return this.dial();
  }

  /**
   * config.json as read now (the start may have used the copy from last time): kept for the next start, and when it
   * names another relay or credentials, the app reconnects as after a change in the settings.
   */
  private async fileConfigRead(read: FileConfig | string): Promise<void> {
    keepFileConfig(read);
    if (JSON.stringify(read) === JSON.stringify(this.fileConfig)) return;
    this.fileConfig = read;
    const next = resolveRelay(location.href, this.settings, read);
    const same =
      next.url === this.relay.url && next.token === this.relay.token && next.tokenUrl === this.relay.tokenUrl;
    if (same) {
      this.relay = next;
    } else {
      await this.dial();
    }
    this.store.changed();
  }

  /**
   * Connects to the relay named now: after the previous start (so the old connection stays stopped), with the relay
   * side's chunk. Before `start` it only notes the relay, which `start` then dials.
   */
  private dial(): Promise<void> {
    this.relay = resolveRelay(location.href, this.settings, this.fileConfig);
    if (!this.starting) return Promise.resolve();
    this.started = this.started
      .catch(() => undefined)
      .then(async () => {
        const loaded = await import('./chat-sync.ts').catch((err: unknown) => {
          this.store.reportError(
            new Error(`Parley could not load its connection code (${String(err)}). Reload to connect.`),
          );
        });
        if (!loaded) return;
        this.sync.current?.connection.stop();
        const sync = new loaded.ChatSync(this.store, this.relay, this.clientId);
        this.sync.attach(sync);
        await sync.start();
      });
    return this.started;
  }

  async saveSettings(settings: Settings): Promise<void> {
    const relayChanged =
      settings.relayUrl !== this.settings.relayUrl ||
      settings.token !== this.settings.token ||
      settings.tokenUrl !== this.settings.tokenUrl;
    this.settings = settings;
    await this.store.data.putSettings(settings);
    if (relayChanged) {
      this.sync.current?.connection.stop();
      await this.dial();
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
    this.sync.current?.connection.stop();
    await this.store.clearAll();
    this.settings = DEFAULT_SETTINGS;
    await this.dial();
  }

  async draft(chatId: string): Promise<string> {
    return (await this.store.guard(() => this.store.data.getDraft(chatId)))?.text ?? '';
  }

  /** The composer already waits for a pause in typing; the clear after a send is part of the send's own write. */
  saveDraft(chatId: string, text: string): Promise<void> {
    return this.store.data.commit({ drafts: [{ chat_id: chatId, text }], announce: true });
  }
}
