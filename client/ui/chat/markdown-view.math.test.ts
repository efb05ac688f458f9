/** Math in a streaming reply: text until its formula closes, typeset once, styled inside the shadow root, copied as TeX. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { loadMath } from '../../markdown/math-loader.ts';
import { loadRenderer, type MarkdownView } from './markdown-view.ts';
import './markdown-view.ts';

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

async function mount(text: string, streaming: boolean): Promise<MarkdownView> {
  await Promise.all([loadRenderer(), loadMath()]);
  const el = document.createElement('markdown-view');
  el.streaming = streaming;
  el.text = text;
  document.body.append(el);
  await el.updateComplete;
  await frame();
  return el;
}

async function grow(el: MarkdownView, more: string): Promise<void> {
  el.text += more;
  await el.updateComplete;
  await frame();
}

const root = (el: MarkdownView) => el.shadowRoot as ShadowRoot;
const typeset = (el: MarkdownView) => [...root(el).querySelectorAll<HTMLElement>('[data-tex]')];

afterEach(() => document.querySelectorAll('markdown-view').forEach((e) => e.remove()));

describe('<markdown-view> with math', () => {
  it('shows an unclosed formula as text while streaming and typesets it once it closes', async () => {
    const el = await mount('Energy: $E = mc', true);
    expect(typeset(el)).to.deep.equal([]);
    expect(root(el).querySelector('.tail')?.textContent).to.contain('$E = mc');
    await grow(el, '^2$ holds.');
    expect(typeset(el).map((m) => m.dataset['tex'])).to.deep.equal(['E = mc^2']);
    expect(root(el).querySelector('.tail')?.textContent).not.to.contain('$');
  });

  it('keeps a display formula with blank lines whole until it closes, then typesets its block once', async () => {
    const el = await mount('Intro\n\n$$\n\\begin{aligned} a &= 1 \\\\\n\n', true);
    expect(typeset(el)).to.deep.equal([]);
    expect(root(el).querySelector('.tail')?.textContent).to.contain('\\begin{aligned}');
    await grow(el, 'b &= 2 \\end{aligned}\n$$\n\nAfter');
    const [formula] = typeset(el);
    expect(formula?.closest('.blocks')).to.not.equal(null);
    expect(formula?.querySelector('.katex-display')).to.not.equal(null);
    await grow(el, ' and more\n\nEnd');
    // The finished block is the same DOM: not typeset again as the reply streams on.
    expect(typeset(el)[0]).to.equal(formula);
  });

  it("applies KaTeX's styles and fonts inside the shadow root", async () => {
    const el = await mount('$x^2$', false);
    const katex = root(el).querySelector('.katex');
    expect(katex).to.not.equal(null);
    expect(getComputedStyle(katex as Element).fontFamily).to.contain('KaTeX_Main');
    expect(getComputedStyle(root(el).querySelector('.katex-mathml') as Element).position).to.equal('absolute');
  });

  it('copies a selection with math as text with the TeX in place', async () => {
    const el = await mount('Euler: $e^{i\\pi} + 1 = 0$ holds.\n\n$$\n\\sqrt{2}\n$$', false);
    const md = root(el).querySelector('.md') as HTMLElement;
    const selection = document.getSelection();
    selection?.selectAllChildren(md);
    const data = new DataTransfer();
    const event = new ClipboardEvent('copy', { clipboardData: data, bubbles: true, composed: true, cancelable: true });
    root(el).querySelector('p')?.dispatchEvent(event);
    expect(event.defaultPrevented).to.equal(true);
    expect(data.getData('text/plain')).to.equal('Euler: $e^{i\\pi} + 1 = 0$ holds.\n\n$$\\sqrt{2}$$');
  });
});
