/** The shell's shortcuts: each key of the table reaches its handler, typing keys only outside fields, none inside a dialog. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { LitElement } from 'lit';
import { KeyboardShortcuts } from './keyboard-shortcuts.ts';
import { APP_SHORTCUTS, type AppShortcut } from './shortcuts.ts';

class ShortcutHost extends LitElement {
  handled: AppShortcut[] = [];
  /** What the Esc handler answers: it closed something, or there was nothing to close. */
  closes = true;
  readonly keys = new KeyboardShortcuts(this, {
    help: () => void this.handled.push('help'),
    search: () => void this.handled.push('search'),
    'new-chat': () => void this.handled.push('new-chat'),
    'next-chat': () => void this.handled.push('next-chat'),
    'previous-chat': () => void this.handled.push('previous-chat'),
    'chat-settings': () => void this.handled.push('chat-settings'),
    'focus-composer': () => void this.handled.push('focus-composer'),
    stop: () => {
      this.handled.push('stop');
      return this.closes;
    },
  });
}
customElements.define('shortcut-host', ShortcutHost);

declare global {
  interface HTMLElementTagNameMap {
    'shortcut-host': ShortcutHost;
  }
}

/** Presses a key on `target` the way the browser would deliver it (bubbling out of shadow roots). */
function press(target: EventTarget, init: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e;
}

const KEYS: Record<AppShortcut, KeyboardEventInit> = {
  help: { key: '?', shiftKey: true },
  search: { key: 'k', ctrlKey: true },
  'new-chat': { key: 'Ñ', code: 'KeyN', altKey: true, shiftKey: true },
  'next-chat': { key: 'ArrowDown', altKey: true },
  'previous-chat': { key: 'ArrowUp', altKey: true },
  'chat-settings': { key: 'Í', code: 'KeyS', altKey: true, shiftKey: true },
  'focus-composer': { key: '/' },
  stop: { key: 'Escape' },
};

describe('KeyboardShortcuts', () => {
  let host: ShortcutHost;
  beforeEach(() => {
    host = document.createElement('shortcut-host');
    document.body.append(host);
  });
  // A host left listening by a broken hostDisconnected must not hide that by taking the next test's keys.
  afterEach(() => {
    host.closes = false;
    host.remove();
  });

  it('gives each key of the table to its handler, and the table has one row per handler', () => {
    for (const [id, init] of Object.entries(KEYS))
      expect(press(document.body, init).defaultPrevented, id).to.equal(true);
    expect(host.handled).to.deep.equal(Object.keys(KEYS));
    expect(APP_SHORTCUTS.map((s) => s.id).sort()).to.deep.equal(Object.keys(KEYS).sort());
  });

  it('leaves the browser’s own keys alone: Ctrl+N, T, W, Tab, Alt+←/→, Ctrl+Shift+K', () => {
    for (const init of [
      { key: 'n', ctrlKey: true },
      { key: 't', ctrlKey: true },
      { key: 'w', ctrlKey: true },
      { key: 'Tab', ctrlKey: true },
      { key: 'ArrowLeft', altKey: true },
      { key: 'ArrowRight', altKey: true },
      { key: 'K', ctrlKey: true, shiftKey: true },
    ])
      expect(press(document.body, init).defaultPrevented, JSON.stringify(init)).to.equal(false);
    expect(host.handled).to.deep.equal([]);
  });

  it('types ? and / in a text field, but still takes the keys with a modifier there', () => {
    const field = document.createElement('textarea');
    document.body.append(field);
    expect(press(field, KEYS.help).defaultPrevented).to.equal(false);
    expect(press(field, KEYS['focus-composer']).defaultPrevented).to.equal(false);
    press(field, KEYS['new-chat']);
    press(field, KEYS.search);
    field.remove();
    expect(host.handled).to.deep.equal(['new-chat', 'search']);
  });

  it('prevents Esc’s default only when its handler closed something', () => {
    expect(press(document.body).defaultPrevented).to.equal(true);
    host.closes = false;
    expect(press(document.body).defaultPrevented).to.equal(false);
    expect(host.handled).to.deep.equal(['stop', 'stop']);
  });

  it('leaves keys alone when something else took them, in a dialog, while composing, and for other keys', () => {
    const taken = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    taken.preventDefault();
    document.body.dispatchEvent(taken);
    const dialog = document.createElement('dialog');
    const field = document.createElement('input');
    dialog.append(field);
    document.body.append(dialog);
    press(field);
    press(field, KEYS.search);
    press(document.body, { isComposing: true });
    press(document.body, { key: 'Enter' });
    dialog.remove();
    expect(host.handled).to.deep.equal([]);
  });

  it('stops listening when its host leaves the page', () => {
    host.remove();
    press(document.body);
    press(document.body, KEYS.help);
    expect(host.handled).to.deep.equal([]);
  });
});
