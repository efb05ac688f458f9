/** Mermaid in a reply: code until its fence closes, then drawn once in the diagram frame, a toggle to the source, a readable error. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { frameLocation } from '../../diagram/diagram-host.ts';
import { loadRenderer, type MarkdownView } from './markdown-view.ts';
import './markdown-view.ts';

// The dev server serves the repository; the app finds the frame next to its index.html.
frameLocation.url = '/client/diagram-frame.html';

const FLOW = '```mermaid\nflowchart LR\n  A[Start] --> B{Ready?}\n  B -->|yes| C[Go]\n```\n';
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

async function mount(text: string, streaming: boolean): Promise<MarkdownView> {
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
const figures = (el: MarkdownView) => [...root(el).querySelectorAll<HTMLElement>('figure.diagram')];

/** Waits (on the page's own events, no clock) until no figure is still drawing. */
async function settled(el: MarkdownView): Promise<void> {
  while (figures(el).some((f) => f.dataset['state'] === 'waiting' || f.dataset['state'] === 'drawing')) await frame();
}

afterEach(() => document.querySelectorAll('markdown-view').forEach((e) => e.remove()));

describe('<markdown-view> with mermaid', function () {
  // The first diagram loads mermaid into its frame.
  this.timeout(30_000);

  it('draws a finished fence as an SVG image, and toggles to its source and back', async () => {
    const el = await mount(`Plan:\n\n${FLOW}`, false);
    await settled(el);
    const [figure] = figures(el);
    expect(figure?.dataset['state']).to.equal('drawn');
    const img = figure?.querySelector('img') as HTMLImageElement;
    expect(img.src).to.match(/^data:image\/svg\+xml;charset=utf-8,/);
    await img.decode();
    expect(img.naturalWidth).to.be.greaterThan(100);
    expect(decodeURIComponent(img.src)).to.contain('Ready?');
    const pre = figure?.querySelector('pre') as HTMLElement;
    expect(pre.hidden).to.equal(true);
    const toggle = figure?.querySelector<HTMLButtonElement>('button.toggle');
    toggle?.click();
    expect(pre.hidden).to.equal(false);
    expect(img.closest<HTMLElement>('.diagram-view')?.hidden).to.equal(true);
    expect(toggle?.getAttribute('aria-pressed')).to.equal('true');
    expect(pre.textContent).to.contain('A[Start] --> B{Ready?}');
    toggle?.click();
    expect(pre.hidden).to.equal(true);
  });

  it('shows an invalid diagram as its source with what is wrong', async () => {
    const el = await mount('```mermaid\nflowchart LR\n  A --> --> B\n```\n', false);
    await settled(el);
    const [figure] = figures(el);
    expect(figure?.dataset['state']).to.equal('error');
    expect(figure?.querySelector('img')).to.equal(null);
    const error = figure?.querySelector('[role="alert"]');
    expect(error?.textContent).to.match(/^Diagram not drawn: Parse error on line 2/);
    expect(figure?.querySelector('pre')?.hidden).to.equal(false);
    expect(figure?.querySelector('pre')?.textContent).to.contain('A --> --> B');
  });

  it('leaves a fence that is still streaming as code, then draws it once when it closes', async () => {
    const el = await mount('Plan:\n\n```mermaid\nflowchart LR\n  A[Start] --> B', true);
    expect(figures(el)).to.deep.equal([]);
    expect(root(el).querySelector('.tail code')?.textContent).to.contain('A[Start] --> B');
    el.text += '{Ready?}\n  B -->|yes| C[Go]\n```\n\nMore';
    await el.updateComplete;
    await frame();
    const [figure] = figures(el);
    expect(figure?.closest('.blocks')).to.not.equal(null);
    await settled(el);
    const img = figure?.querySelector('img');
    el.text += ' text streams on\n\nand on';
    await el.updateComplete;
    await frame();
    // The finished block is the same DOM: the diagram is not drawn again as the reply streams on.
    expect(figures(el)).to.deep.equal([figure]);
    expect(figure?.querySelector('img')).to.equal(img);
  });
});
