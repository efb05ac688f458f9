/** What the sanitizer keeps and what it turns into something safer, shape by shape (the corpus suite covers breadth). */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { renderMarkdown } from './render.ts';

function render(src: string): HTMLDivElement {
  const div = document.createElement('div');
  div.append(renderMarkdown(src, true));
  return div;
}

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

describe('renderMarkdown', () => {
  it('never fetches an image from elsewhere: it becomes a link the reader may follow', () => {
    const div = render('![chart of sales](https://tracker.example/p.png?q=secret) and ![](//cdn.example/x.gif)');
    expect(div.querySelector('img')).to.equal(null);
    const links = [...div.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://tracker.example/p.png?q=secret',
      'https://cdn.example/x.gif',
    ]);
    expect(links[0]?.textContent).to.equal('Image: chart of sales');
    for (const a of links) {
      expect(a.target).to.equal('_blank');
      expect(a.rel).to.equal('noopener noreferrer');
    }
  });

  it('shows raster data: images inline, and only those', () => {
    const svg = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=';
    const div = render(`![dot](${PNG}) ![vector](${svg}) ![local](blob:https://x/1) ![rel](x.png)`);
    const imgs = [...div.querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute('src'))).to.deep.equal([PNG]);
    expect(div.textContent).to.contain('vector').and.contain('local').and.contain('rel');
  });

  it('gives every link, relative ones too, a new tab without a reference back', () => {
    const div = render('[a](https://example.com) [b](/docs) [c](#top) <https://x.example> mail@example.com');
    const links = [...div.querySelectorAll('a')];
    expect(links.length).to.equal(5);
    for (const a of links) expect([a.target, a.rel]).to.deep.equal(['_blank', 'noopener noreferrer']);
  });

  it('drops script-capable links but keeps their text', () => {
    const div = render(
      '[one](javascript:alert(1)) [two](data:text/html,x) [three](vbscript:x) [four](jav&#x09;ascript:x)',
    );
    expect([...div.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal([null, null, null, null]);
    expect(div.textContent).to.contain('one').and.contain('four');
  });

  it('shows raw HTML with attributes as the text it is, and renders bare formatting tags', () => {
    const raw = '<img src=x onerror=alert(1)> <a href="https://x.example" onclick="alert(1)">a</a>';
    const div = render(`${raw}\n\nPress <kbd>Ctrl</kbd>+<kbd>C</kbd><br>H<sub>2</sub>O <span>plain</span>`);
    expect(div.querySelector('img, a')).to.equal(null);
    expect(div.textContent).to.contain(raw);
    expect([...div.querySelectorAll('kbd, br, sub, span')].map((e) => e.localName)).to.deep.equal([
      'kbd',
      'kbd',
      'br',
      'sub',
      'span',
    ]);
  });

  it('keeps the markup markdown makes: tables, task lists, code with its language, details', () => {
    const div = render(
      '| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n```py\nx = 1\n```\n\n<details><summary>More</summary>hidden</details>',
    );
    expect(div.querySelector('th')?.getAttribute('align')).to.equal('center');
    const boxes = [...div.querySelectorAll('input')];
    expect(boxes.map((b) => [b.type, b.disabled, b.checked])).to.deep.equal([
      ['checkbox', true, true],
      ['checkbox', true, false],
    ]);
    expect(div.querySelector('code')?.className).to.equal('language-py');
    expect(div.querySelector('details summary')?.textContent).to.equal('More');
  });

  it('lets no class, id, name or style through that could pass content off as the app', () => {
    const div = render('```js\nx\n```\n\n<div class="code-bar" id="location" style="position:fixed">Copy</div>');
    // The one code bar is the app's own, around the fenced block.
    expect(div.querySelectorAll('.code-bar').length).to.equal(1);
    expect(div.querySelector('code')?.className).to.equal('language-js');
    expect(div.querySelector('[id], [name], [style]')).to.equal(null);
    expect(div.textContent).to.contain('<div class="code-bar"');
  });

  it('shows a frameset as text instead of failing', () => {
    const div = render('<frameset><frame src="javascript:alert(1)"></frameset>');
    expect(div.querySelector('frame, frameset')).to.equal(null);
    expect(div.textContent).to.contain('<frameset>');
  });

  it('strips SVG and MathML entirely', () => {
    const div = render('<svg><a href="https://x"><text>svg</text></a></svg><math><mi>m</mi></math>');
    expect(div.querySelector('svg, math, a')).to.equal(null);
  });
});
