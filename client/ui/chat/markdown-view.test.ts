/** What a reader sees of streamed markdown: finished blocks stay put, nothing unsafe gets through, code gets its tools. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { ImageLightbox } from '../dialogs/image-lightbox.ts';
import { loadRenderer, type MarkdownView } from './markdown-view.ts';
import '../dialogs/image-lightbox.ts';
import './markdown-view.ts';

const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

async function mount(text: string, streaming = false): Promise<MarkdownView> {
  await loadRenderer();
  const el = document.createElement('markdown-view');
  el.streaming = streaming;
  el.text = text;
  document.body.append(el);
  await el.updateComplete;
  await frame();
  return el;
}

const root = (el: MarkdownView) => el.shadowRoot as ShadowRoot;

afterEach(() => document.querySelectorAll('markdown-view, image-lightbox').forEach((e) => e.remove()));

/** A lightbox wired the way the app wires it: `open-images` from the view opens it. */
function lightboxFor(el: MarkdownView): ImageLightbox {
  const box = document.createElement('image-lightbox');
  document.body.append(box);
  el.addEventListener('open-images', (e) => {
    box.images = e.detail.images;
    void box.show(e.detail.index);
  });
  return box;
}

const caption = (box: ImageLightbox) => box.shadowRoot?.querySelector('figcaption')?.textContent?.trim();
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('<markdown-view>', () => {
  it('renders headings, lists, tables and code as HTML', async () => {
    const el = await mount('## Title\n\n- one\n- two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n');
    expect(root(el).querySelector('h2')?.textContent).to.equal('Title');
    expect(root(el).querySelectorAll('li').length).to.equal(2);
    expect(root(el).querySelector('td')?.textContent).to.equal('1');
    expect(root(el).querySelector('.tok-keyword')?.textContent).to.equal('const');
    expect(root(el).querySelector('button.copy')).not.to.equal(null);
  });

  it('never lets script, event handlers or javascript: links through', async () => {
    const el = await mount(
      '<img src="data:," onerror="window.__pwned=1"> <script>window.__pwned=2</script>\n\n[x](javascript:alert(1))',
    );
    const r = root(el);
    expect(r.querySelector('script')).to.equal(null);
    expect(r.querySelector('img')?.hasAttribute('onerror') ?? false).to.equal(false);
    expect(r.querySelector('a')?.getAttribute('href') ?? null).to.equal(null);
    expect(Reflect.get(window, '__pwned')).to.equal(undefined);
  });

  it('opens links in a new tab without giving it a reference to this page', async () => {
    const el = await mount('See [the docs](https://example.com/docs).');
    const a = root(el).querySelector('a');
    expect(a?.getAttribute('target')).to.equal('_blank');
    expect(a?.getAttribute('rel')).to.equal('noopener noreferrer');
  });

  it('keeps finished blocks as the same DOM nodes while the reply streams on', async () => {
    const el = await mount('First paragraph.\n\nSecond', true);
    const first = root(el).querySelector('.blocks > div');
    expect(first?.textContent).to.contain('First paragraph.');
    el.text += ' paragraph grows\n\nThird';
    await el.updateComplete;
    await frame();
    expect(root(el).querySelector('.blocks > div')).to.equal(first);
    expect(root(el).querySelectorAll('.blocks > div').length).to.equal(2);
    expect(root(el).querySelector('.tail')?.textContent).to.contain('Third');
  });

  it('highlights a code block only once its fence has closed', async () => {
    const el = await mount('```ts\nconst a = 1;\n', true);
    expect(root(el).querySelector('.tok-keyword')).to.equal(null);
    expect(root(el).querySelector('pre')?.textContent).to.contain('const a = 1;');
    el.text += '```\n';
    await el.updateComplete;
    await frame();
    expect(root(el).querySelector('.tok-keyword')?.textContent).to.equal('const');
    expect(root(el).querySelector('button.copy')).not.to.equal(null);
  });

  it('renders an edit (text replaced, not extended) from scratch', async () => {
    const el = await mount('Old text\n\nmore');
    el.text = 'New text';
    await el.updateComplete;
    await frame();
    expect(root(el).textContent).to.contain('New text');
    expect(root(el).textContent).not.to.contain('Old text');
  });

  it("opens an agent's inline images in the lightbox by click or Enter, and gives focus back to the image", async () => {
    const el = await mount(`A dot: ![red dot](${PIXEL})\n\nAnother: ![blue dot](${PIXEL})`);
    const imgs = [...root(el).querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute('aria-label'))).to.deep.equal([
      'Enlarge image red dot',
      'Enlarge image blue dot',
    ]);
    const box = lightboxFor(el);

    const second = imgs[1]!;
    second.style.width = '40px';
    const r = second.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)] });
    await box.updateComplete;
    expect(box.isOpen).to.equal(true);
    expect(caption(box)).to.equal('blue dot — 2 of 2');
    expect(box.shadowRoot?.querySelector('img')?.getAttribute('src')).to.equal(PIXEL);
    await sendKeys({ press: 'Escape' });
    await settle();
    expect(box.isOpen).to.equal(false);
    expect(root(el).activeElement).to.equal(second);

    imgs[0]!.focus();
    await sendKeys({ press: 'Enter' });
    await box.updateComplete;
    expect(caption(box)).to.equal('red dot — 1 of 2');
    await sendKeys({ press: 'Escape' });
    await settle();
    expect(root(el).activeElement).to.equal(imgs[0]);
  });
});
