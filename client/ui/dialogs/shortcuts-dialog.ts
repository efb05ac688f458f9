/** The `?` dialog: every keyboard shortcut, listed from the one table the handlers use (controllers/shortcuts.ts). */

import { LitElement, css, html } from 'lit';
import { customElement, query } from 'lit/decorators.js';
import { APP_SHORTCUTS, VIEWER_SHORTCUTS, isApple, keyName, type Shortcut } from '../controllers/shortcuts.ts';
import { fire } from '../common/fire.ts';
import { deepActiveElement } from '../common/focus.ts';
import { panelDialogStyles } from '../common/dialog-styles.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** @fires dialog-closed - when it closes */
@customElement('shortcuts-dialog')
export class ShortcutsDialog extends LitElement {
  static override styles = [
    sharedStyles,
    panelDialogStyles,
    css`
      dialog {
        width: min(34rem, calc(100vw - 2rem));
        padding: 1.2rem 1.3rem;
      }
      h2 {
        margin: 0 0 0.8rem;
        font-size: 1.2rem;
      }
      h3 {
        margin: 1rem 0 0.4rem;
        font-size: 0.95rem;
        color: var(--muted);
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.92rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.35rem 0.4rem;
        border-bottom: 1px solid var(--border);
        vertical-align: top;
      }
      th {
        white-space: nowrap;
        font-weight: normal;
        width: 1%;
      }
      kbd {
        font-family: var(--mono);
        font-size: 0.82rem;
        border: 1px solid var(--border-strong);
        border-bottom-width: 2px;
        border-radius: 4px;
        padding: 0.05rem 0.35rem;
        background: var(--surface-2);
      }
      .help {
        font-size: 0.85rem;
        color: var(--muted);
        margin: 0.8rem 0 0;
      }
      .end {
        display: flex;
        justify-content: flex-end;
        margin-top: 1rem;
      }
    `,
  ];

  @query('dialog') private dialog!: HTMLDialogElement;
  private returnFocus: HTMLElement | undefined;
  private readonly apple = isApple();

  override render() {
    return html`<dialog aria-labelledby="shortcuts-h" @close=${this._onClose}>
      <h2 id="shortcuts-h">Keyboard shortcuts</h2>
      ${this.table('In the app', APP_SHORTCUTS)} ${this.table('In the image viewer', VIEWER_SHORTCUTS)}
      <p class="help">
        Keys without ${keyName('mod', this.apple)} or ${keyName('Alt', this.apple)} act only when you are not typing in
        a field.
      </p>
      <div class="end"><button @click=${() => this.dialog.close()}>Close</button></div>
    </dialog>`;
  }

  private table(title: string, shortcuts: Shortcut[]) {
    return html`<h3>${title}</h3>
      <table>
        <tbody>
          ${shortcuts.map(
            (s) =>
              html`<tr data-shortcut=${s.id}>
                <th scope="row">${s.keys.map((combo, i) => html`${i ? ' or ' : ''}${this.combo(combo)}`)}</th>
                <td>${s.label}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  }

  private combo(keys: string[]) {
    return keys.map((k, i) => html`${i ? ' + ' : ''}<kbd>${keyName(k, this.apple)}</kbd>`);
  }

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  async open(): Promise<void> {
    this.returnFocus = deepActiveElement();
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('.end button')?.focus();
  }

  private _onClose(): void {
    const back = this.returnFocus;
    this.returnFocus = undefined;
    if (back?.isConnected) back.focus();
    fire(this, 'dialog-closed');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'shortcuts-dialog': ShortcutsDialog;
  }
}
