/** The phone drawer takes focus when it opens, gives it back when it closes, and closes when the window widens. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { setViewport } from '@web/test-runner-commands';
import { LitElement, html } from 'lit';
import { DrawerController } from './drawer-controller.ts';

class DrawerHost extends LitElement {
  readonly drawer = new DrawerController(this, { drawer: 'aside', first: '.close', opener: '.menu' });
  override render() {
    return html`<aside><button class="close">Hide</button></aside>
      <button class="menu">Show</button><button class="other">Other</button>`;
  }
}
customElements.define('drawer-host', DrawerHost);

declare global {
  interface HTMLElementTagNameMap {
    'drawer-host': DrawerHost;
  }
}

const focused = (host: DrawerHost) => host.shadowRoot?.activeElement?.className;

describe('DrawerController', () => {
  let host: DrawerHost;
  beforeEach(async () => {
    await setViewport({ width: 390, height: 800 });
    host = document.createElement('drawer-host');
    document.body.append(host);
    await host.updateComplete;
  });
  afterEach(async () => {
    host.remove();
    await setViewport({ width: 800, height: 600 });
  });

  it('moves focus into the drawer on open and back to the menu button on close', async () => {
    await host.drawer.set(true);
    expect(focused(host)).to.equal('close');
    await host.drawer.set(false);
    expect(focused(host)).to.equal('menu');
  });

  it('leaves focus where it went if it moved on while the drawer was open', async () => {
    await host.drawer.set(true);
    host.shadowRoot?.querySelector<HTMLElement>('.other')?.focus();
    await host.drawer.set(false);
    expect(focused(host)).to.equal('other');
  });

  it('closes when the window grows past phone width', async () => {
    await host.drawer.set(true);
    const widened = new Promise((resolve) =>
      matchMedia('(max-width: 760px)').addEventListener('change', resolve, { once: true }),
    );
    await setViewport({ width: 1280, height: 800 });
    await widened;
    expect(host.drawer.open).to.equal(false);
  });
});
