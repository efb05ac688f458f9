/** Settings (loaded on demand): relay URL and token, theme, storage use and persistence, and clearing all data. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { checkRelayUrl, type RelayConfig } from '../../state/config.ts';
import type { Settings, Theme } from '../../state/types.ts';
import { fire } from '../common/fire.ts';
import { formatBytes } from '../common/format-bytes.ts';
import { panelDialogStyles } from '../common/dialog-styles.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/**
 * @fires save-settings - the edited settings
 * @fires clear-all - after the user confirmed
 * @fires dialog-closed - when it closes
 */
@customElement('settings-dialog')
export class SettingsDialog extends LitElement {
  static override styles = [
    sharedStyles,
    panelDialogStyles,
    css`
      dialog {
        width: min(32rem, calc(100vw - 2rem));
        padding: 0;
      }
      form {
        padding: 1.2rem 1.3rem;
        display: grid;
        gap: 1rem;
      }
      h2 {
        margin: 0;
        font-size: 1.2rem;
      }
      fieldset {
        border: 1px solid var(--border);
        border-radius: var(--radius-sm);
        padding: 0.7rem 0.9rem 0.9rem;
        display: grid;
        gap: 0.5rem;
        margin: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.3rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
        font-size: 0.9rem;
      }
      input[type='text'],
      input[type='password'],
      input[type='url'] {
        font-size: 16px;
        padding: 0.45rem 0.6rem;
        border: 1px solid var(--border-strong);
        border-radius: var(--radius-sm);
        background: var(--bg);
      }
      .radios {
        display: flex;
        gap: 1rem;
      }
      .radios label {
        display: flex;
        gap: 0.35rem;
        align-items: center;
      }
      .help {
        font-size: 0.8rem;
        color: var(--muted);
        margin: 0;
      }
      .error {
        color: var(--danger);
        font-size: 0.85rem;
        margin: 0;
      }
      .buttons {
        display: flex;
        gap: 0.5rem;
        justify-content: flex-end;
        flex-wrap: wrap;
      }
      meter {
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) settings!: Settings;
  @property({ attribute: false }) relay: RelayConfig | undefined;
  @state() private urlError = '';
  @state() private confirmClear = false;
  @state() private storage: { usage: number; quota: number; persisted: boolean } | undefined;
  @query('dialog') private dialog!: HTMLDialogElement;

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  async open(): Promise<void> {
    this.urlError = '';
    this.confirmClear = false;
    await this.updateComplete;
    this.dialog.showModal();
    await this.refreshStorage();
  }

  private async refreshStorage(): Promise<void> {
    const est = await navigator.storage?.estimate?.();
    const persisted = (await navigator.storage?.persisted?.()) ?? false;
    this.storage = { usage: est?.usage ?? 0, quota: est?.quota ?? 0, persisted };
  }

  override render() {
    const s = this.settings;
    const st = this.storage;
    return html`<dialog aria-labelledby="settings-h" @close=${this._onClose}>
      <slot name="toast"></slot>
      <form method="dialog" @submit=${this._onSave}>
        <h2 id="settings-h">Settings</h2>
        <fieldset>
          <legend>Relay</legend>
          <label
            >Relay URL
            <input
              type="text"
              name="relayUrl"
              inputmode="url"
              autocomplete="off"
              .value=${s.relayUrl}
              placeholder="Empty: the server this page came from"
              aria-describedby="relay-help"
            />
          </label>
          ${this.urlError ? html`<p class="error" role="alert">${this.urlError}</p>` : nothing}
          <p class="help" id="relay-help">
            Now using ${this.relay?.url ?? '—'} (from ${this.relay?.source ?? '—'}).
            ${this.relay?.error ? html`<br /><span class="error">${this.relay.error}</span>` : nothing}
          </p>
          <label>Token <input type="password" name="token" autocomplete="off" .value=${s.token} /></label>
          <label
            >Token endpoint (optional)
            <input
              type="text"
              name="tokenUrl"
              inputmode="url"
              autocomplete="off"
              .value=${s.tokenUrl}
              placeholder="e.g. /api/parley-token"
              aria-describedby="token-url-help"
            />
          </label>
          <p class="help" id="token-url-help">
            Your site's endpoint that hands out single-use relay tokens; asked before every connection.
          </p>
        </fieldset>
        <fieldset>
          <legend>Theme</legend>
          <div class="radios">
            ${(['system', 'light', 'dark'] as const).map(
              (t) =>
                html`<label
                  ><input type="radio" name="theme" value=${t} .checked=${s.theme === t} />
                  ${t[0]?.toUpperCase()}${t.slice(1)}</label
                >`,
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>Storage on this device</legend>
          ${
            st
              ? html`<p class="help">${formatBytes(st.usage)} used of ${formatBytes(st.quota)} available.</p>
                  <meter min="0" max=${st.quota || 1} value=${st.usage} aria-label="Storage used"></meter>
                  <p class="help">
                    ${
                      st.persisted
                        ? 'Storage is persistent: the browser will not evict it under pressure.'
                        : 'Storage is not persistent: the browser may evict it when space runs low.'
                    }
                  </p>
                  ${st.persisted ? nothing : html`<div><button type="button" @click=${this._onPersist}>Ask to keep data</button></div>`}`
              : html`<p class="help">Measuring…</p>`
          }
          ${
            this.confirmClear
              ? html`<div role="alert">
                  <p class="error">
                    Delete every chat, draft, attachment, queued message and setting on this device? This cannot be
                    undone.
                  </p>
                  <div class="buttons">
                    <button type="button" @click=${() => (this.confirmClear = false)}>Keep my data</button>
                    <button type="button" class="danger solid" @click=${this._onClear}>Delete everything</button>
                  </div>
                </div>`
              : html`<div>
                  <button type="button" class="danger" @click=${() => (this.confirmClear = true)}>
                    Clear all data…
                  </button>
                </div>`
          }
        </fieldset>
        <div class="buttons">
          <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
          <button type="submit" class="primary">Save</button>
        </div>
      </form>
    </dialog>`;
  }

  private _onClose(): void {
    this.confirmClear = false;
    fire(this, 'dialog-closed');
  }

  private _onSave(e: SubmitEvent): void {
    e.preventDefault();
    if (!(e.target instanceof HTMLFormElement)) return;
    const data = new FormData(e.target);
    const relayUrl = String(data.get('relayUrl') ?? '').trim();
    if (relayUrl) {
      const checked = checkRelayUrl(relayUrl, location.href);
      if (!checked.ok) {
        this.urlError = checked.error;
        return;
      }
    }
    const themeValue = data.get('theme');
    const theme: Theme = themeValue === 'light' || themeValue === 'dark' ? themeValue : 'system';
    const token = String(data.get('token') ?? '');
    const tokenUrl = String(data.get('tokenUrl') ?? '').trim();
    fire(this, 'save-settings', { ...this.settings, relayUrl, token, tokenUrl, theme });
    this.dialog.close();
  }

  private async _onPersist(): Promise<void> {
    const granted = await navigator.storage?.persist?.();
    if (!granted)
      fire(this, 'notify', {
        text: 'The browser declined; it decides based on how you use the site (installing helps).',
      });
    await this.refreshStorage();
  }

  private _onClear(): void {
    fire(this, 'clear-all');
    this.dialog.close();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'settings-dialog': SettingsDialog;
  }
}
