/** What a reader sees of streamed markdown: finished blocks stay put, nothing unsafe gets through, code gets its tools. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { loadRenderer, type MarkdownView } from './markdown-view.ts';
import './markdown-view.ts';

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

afterEach(() => document.querySelectorAll('markdown-view').forEach((e) => e.remove()));

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
});
