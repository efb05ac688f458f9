/** The lightbox's keyboard contract: arrows move, Esc closes, focus returns to the thumbnail that opened it. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { ImageLightbox } from './image-lightbox.ts';
import './image-lightbox.ts';

const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

function caption(el: ImageLightbox): string {
  return el.shadowRoot?.querySelector('figcaption')?.textContent?.trim() ?? '';
}

/** A real key press through the browser (so Esc is the dialog's own cancel, not a synthetic event). */
function press(_el: ImageLightbox, key: string): Promise<void> {
  return sendKeys({ press: key });
}

describe('<image-lightbox>', () => {
  it('moves with the arrows, closes on Esc and gives focus back', async () => {
    const opener = document.createElement('button');
    opener.textContent = 'thumb';
    document.body.append(opener);
    opener.focus();
    const el = document.createElement('image-lightbox');
    el.images = ['a.png', 'b.png', 'c.png'].map((name) => ({ url: PIXEL, name }));
    document.body.append(el);
    await el.show(1);
    expect(el.isOpen).to.equal(true);
    expect(caption(el)).to.equal('b.png — 2 of 3');
    await press(el, 'ArrowRight');
    await el.updateComplete;
    expect(caption(el)).to.equal('c.png — 3 of 3');
    await press(el, 'ArrowRight');
    await el.updateComplete;
    expect(caption(el)).to.equal('a.png — 1 of 3');
    await press(el, 'ArrowLeft');
    await el.updateComplete;
    expect(caption(el)).to.equal('c.png — 3 of 3');
    await press(el, 'Escape');
    await new Promise((r) => setTimeout(r, 0));
    expect(el.isOpen).to.equal(false);
    expect(document.activeElement).to.equal(opener);
    el.remove();
    opener.remove();
  });
});
