/** Esc reaches the page's handler only when nothing else took it, and only while the host is on the page. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { LitElement } from 'lit';
import { EscapeKey } from './escape-key.ts';

class EscapeHost extends LitElement {
  handled = 0;
  /** What the handler answers: it closed something, or there was nothing to close. */
  closes = true;
  readonly key = new EscapeKey(this, () => {
    this.handled++;
    return this.closes;
  });
}
customElements.define('escape-host', EscapeHost);

declare global {
  interface HTMLElementTagNameMap {
    'escape-host': EscapeHost;
  }
}

/** Presses a key on `target` the way the browser would deliver it (bubbling out of shadow roots). */
function press(target: EventTarget, init: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e;
}

describe('EscapeKey', () => {
  let host: EscapeHost;
  beforeEach(() => {
    host = document.createElement('escape-host');
    document.body.append(host);
  });
  // A host left listening by a broken hostDisconnected must not hide that by taking the next test's Esc.
  afterEach(() => {
    host.closes = false;
    host.remove();
  });

  it('gives Esc to the host, which prevents its default only when it closed something', () => {
    expect(press(document.body).defaultPrevented).to.equal(true);
    host.closes = false;
    expect(press(document.body).defaultPrevented).to.equal(false);
    expect(host.handled).to.equal(2);
  });

  it('leaves Esc alone when something else took it, in a dialog, while composing, and for other keys', () => {
    const taken = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    taken.preventDefault();
    document.body.dispatchEvent(taken);
    const dialog = document.createElement('dialog');
    const field = document.createElement('input');
    dialog.append(field);
    document.body.append(dialog);
    press(field);
    press(document.body, { isComposing: true });
    press(document.body, { key: 'Enter' });
    dialog.remove();
    expect(host.handled).to.equal(0);
  });

  it('stops listening when its host leaves the page', () => {
    host.remove();
    press(document.body);
    expect(host.handled).to.equal(0);
  });
});
