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

/** A 400 × 300 PNG-sized image: an SVG data: URL, as a diagram would be. */
const WIDE = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="teal"/></svg>',
)}`;

async function openViewer(names = ['plan.svg', 'b.png']): Promise<ImageLightbox> {
  const el = document.createElement('image-lightbox');
  el.images = names.map((name, i) => ({ url: i === 0 ? WIDE : PIXEL, name }));
  document.body.append(el);
  await el.show(0);
  await el.shadowRoot?.querySelector('img')?.decode();
  return el;
}

const zoomText = (el: ImageLightbox) => el.shadowRoot?.querySelector('output')?.textContent?.trim();
const transform = (el: ImageLightbox) => el.shadowRoot?.querySelector<HTMLImageElement>('.stage img')?.style.transform;
const stage = (el: ImageLightbox) => el.shadowRoot?.querySelector('.stage') as HTMLElement;

describe('<image-lightbox> zoom, pan and download', () => {
  afterEach(() => document.querySelectorAll('image-lightbox').forEach((e) => e.remove()));

  it('zooms with + and −, fits with 0, and pans with the arrows only while zoomed', async () => {
    const el = await openViewer();
    await press(el, '+');
    await el.updateComplete;
    expect(zoomText(el)).to.equal('125%');
    await press(el, '+');
    await el.updateComplete;
    expect(zoomText(el)).to.equal('156%');
    expect(transform(el)).to.equal('translate(0px, 0px) scale(1.5625)');
    // Zoomed: the arrows move the image, not to the next one.
    await press(el, 'ArrowRight');
    await press(el, 'ArrowDown');
    await el.updateComplete;
    expect(caption(el)).to.equal('plan.svg — 1 of 2');
    expect(transform(el)).to.equal('translate(-60px, -60px) scale(1.5625)');
    await press(el, '-');
    await el.updateComplete;
    expect(zoomText(el)).to.equal('125%');
    await press(el, '0');
    await el.updateComplete;
    expect(zoomText(el)).to.equal('100%');
    expect(transform(el)).to.equal('translate(0px, 0px) scale(1)');
    // Fitted again: the arrows move between images.
    await press(el, 'ArrowRight');
    await el.updateComplete;
    expect(caption(el)).to.equal('b.png — 2 of 2');
  });

  it('zooms about the pointer with the wheel, toggles with a double click, and pans with a drag', async () => {
    const el = await openViewer();
    const img = el.shadowRoot?.querySelector('.stage img') as HTMLImageElement;
    const box = img.getBoundingClientRect();
    const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    // A notch up, to the right of the centre: the point under the pointer stays put, so the image moves left.
    stage(el).dispatchEvent(
      new WheelEvent('wheel', {
        deltaY: -100,
        clientX: centre.x + 100,
        clientY: centre.y,
        bubbles: true,
        cancelable: true,
      }),
    );
    await el.updateComplete;
    expect(el.zoom.scale).to.be.greaterThan(1.2);
    expect(el.zoom.x).to.be.lessThan(0);
    expect(el.zoom.y).to.be.closeTo(0, 1); // the stage's centre can fall between pixels
    stage(el).dispatchEvent(new MouseEvent('dblclick', { clientX: centre.x, clientY: centre.y, bubbles: true }));
    await el.updateComplete;
    expect(zoomText(el)).to.equal('100%');
    stage(el).dispatchEvent(new MouseEvent('dblclick', { clientX: centre.x, clientY: centre.y, bubbles: true }));
    await el.updateComplete;
    expect(zoomText(el)).to.equal('250%');
    const pointer = (type: string, x: number, id = 1) =>
      stage(el).dispatchEvent(
        new PointerEvent(type, { pointerId: id, clientX: x, clientY: centre.y, bubbles: true, pointerType: 'touch' }),
      );
    pointer('pointerdown', centre.x);
    pointer('pointermove', centre.x - 40);
    pointer('pointerup', centre.x - 40);
    await el.updateComplete;
    expect(el.zoom.x).to.equal(-40);
    // A drag that ends on the stage is not a click that closes the viewer.
    stage(el).click();
    expect(el.isOpen).to.equal(true);
  });

  it('zooms with a two-finger pinch', async () => {
    const el = await openViewer();
    const box = stage(el).getBoundingClientRect();
    const y = box.top + box.height / 2;
    const x = box.left + box.width / 2;
    const pointer = (type: string, id: number, px: number) =>
      stage(el).dispatchEvent(
        new PointerEvent(type, { pointerId: id, clientX: px, clientY: y, bubbles: true, pointerType: 'touch' }),
      );
    // The fingers start 100 px apart and end 200 px apart: twice the size.
    pointer('pointerdown', 1, x - 50);
    pointer('pointerdown', 2, x + 50);
    pointer('pointermove', 1, x - 100);
    pointer('pointermove', 2, x + 100);
    pointer('pointerup', 1, x - 100);
    pointer('pointerup', 2, x + 100);
    await el.updateComplete;
    expect(zoomText(el)).to.equal('200%');
  });

  it('downloads the image under its own name, from the button and with D', async () => {
    const el = await openViewer(['Quarterly plan.svg']);
    const saved: string[] = [];
    const onClick = (e: MouseEvent) => {
      const a = e.target;
      if (a instanceof HTMLAnchorElement && a.download) {
        e.preventDefault();
        saved.push(`${a.download} ${a.href.slice(0, 5)}`);
      }
    };
    document.addEventListener('click', onClick, true);
    try {
      el.shadowRoot?.querySelector<HTMLButtonElement>('button.download')?.click();
      await press(el, 'd');
    } finally {
      document.removeEventListener('click', onClick, true);
    }
    expect(saved).to.deep.equal(['Quarterly plan.svg blob:', 'Quarterly plan.svg blob:']);
  });
});
