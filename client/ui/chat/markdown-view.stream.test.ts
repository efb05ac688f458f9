/** Streamed token by token, a reply ends up rendered exactly as the same text rendered in one go. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { loadMath } from '../../markdown/math-loader.ts';
import { loadRenderer, type MarkdownView } from './markdown-view.ts';
import './markdown-view.ts';

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** Constructs whose block boundaries the splitter has to get right: fences, math, headings, lists, tables. */
const CORPUS: Record<string, string> = {
  prose: 'First paragraph with **bold** and `code`.\n\nSecond one\nover two lines.\n\nThird.',
  headings: '# Title\nText right under.\n## Sub\n\n- a\n- b\n\n### Last',
  fences:
    'Before:\n```ts\nconst a = 1;\n\n\nconst b = 2;\n```\nAfter the fence.\n\n~~~~\n```\nnot closed by backticks\n~~~~\n\nEnd.',
  lists: '1. one\n2. two\n\n3. three (loose)\n\n- x\n  - nested\n\n> quote\n> more\n\nDone.',
  table: '| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | 4 |\n\nAfter the table.\n',
  math: 'Inline $a^2 + b^2$ here.\n\n$$\n\\int_0^1 x\\,dx\n\n= \\tfrac12\n$$\n\nAnd \\[\nx = 1\n\\]\n\nEnd.',
  unsafe:
    'Text <img src=x onerror="window.__streamXss=1"> and [link](javascript:alert(1)).\n\n<script>window.__streamXss=1</script>\n\nEnd.',
  trailing: 'Ends with blank lines.\n\n\n',
  /** The open block is a fence: highlighted only once the stream ends. */
  endsInFence: 'Code:\n\n```js\nconst x = { a: 1 };\n```',
};

async function mount(text: string, streaming: boolean): Promise<MarkdownView> {
  const el = document.createElement('markdown-view');
  el.streaming = streaming;
  el.text = text;
  document.body.append(el);
  await el.updateComplete;
  await frame();
  return el;
}

const html = (el: MarkdownView) => el.shadowRoot?.querySelector('.md')?.innerHTML ?? '';

/** Streams `text` in `size`-character tokens, a frame after each (so every open-block state is rendered). */
async function streamed(text: string, size: number): Promise<MarkdownView> {
  const el = await mount('', true);
  for (let i = size; i < text.length + size; i += size) {
    el.text = text.slice(0, i);
    await el.updateComplete;
    await frame();
  }
  el.streaming = false;
  await el.updateComplete;
  await frame();
  return el;
}

/** KaTeX loaded first, so the one-shot render typesets as the streamed one (which had time to load it) does. */
before(() => Promise.all([loadRenderer(), loadMath()]));
afterEach(() => document.querySelectorAll('markdown-view').forEach((e) => e.remove()));

describe('<markdown-view> streaming equals one-shot', () => {
  for (const [name, text] of Object.entries(CORPUS)) {
    it(`${name}: 3-character tokens render as the whole text does`, async () => {
      const once = html(await mount(text, false));
      expect(once).to.not.equal('');
      expect(html(await streamed(text, 3))).to.equal(once);
    });
  }

  it('the whole corpus as one reply, 1- and 7-character tokens', async () => {
    const text = Object.values(CORPUS).join('\n\n');
    const once = html(await mount(text, false));
    expect(html(await streamed(text, 7))).to.equal(once);
    expect(html(await streamed(text.slice(0, 400), 1))).to.equal(html(await mount(text.slice(0, 400), false)));
    expect((window as { __streamXss?: number }).__streamXss).to.equal(undefined);
  });
});
