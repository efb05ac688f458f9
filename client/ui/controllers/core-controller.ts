/** A ReactiveController for the booted state: its host renders again when the store changes, and voices the store's announcements. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AppCore } from '../../state/app-core.ts';

export class CoreController implements ReactiveController {
  /** The booted state (undefined until `attach`). */
  core: AppCore | undefined;
  /** The store's latest announcement, for an aria-live region. */
  announcement = '';

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    /** Called before each render that a store change asks for. */
    private readonly onChange: () => void,
  ) {
    host.addController(this);
  }

  /** Hands over the booted state; the host renders with it from now on. */
  attach(core: AppCore): void {
    this.hostDisconnected();
    this.core = core;
    if (this.host.isConnected) this.hostConnected();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.core?.store.addEventListener('change', this.onStoreChange);
    this.core?.store.announceListeners.add(this.onAnnounce);
  }

  hostDisconnected(): void {
    this.core?.store.removeEventListener('change', this.onStoreChange);
    this.core?.store.announceListeners.delete(this.onAnnounce);
  }

  private readonly onStoreChange = (): void => {
    this.onChange();
    this.host.requestUpdate();
  };

  private readonly onAnnounce = (text: string): void => {
    this.announcement = text;
    this.host.requestUpdate();
  };
}
