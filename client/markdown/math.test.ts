/** Math in markdown: which text is TeX, what KaTeX makes of it, and that a bad or hostile formula stays readable and inert. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { loadMath } from './math-loader.ts';
import { renderMarkdown } from './render.ts';

function render(src: string, final = true): HTMLDivElement {
  const div = document.createElement('div');
  div.append(renderMarkdown(src, final));
  return div;
}

const formulas = (div: Element) => [...div.querySelectorAll<HTMLElement>('[data-tex]')];
/** Text KaTeX drew in its error colour (commands it does not know or refuses), innermost elements only. */
const redText = (div: Element) =>
  [...div.querySelectorAll<HTMLElement>('.katex-html [style*="color"]')]
    .filter((el) => el.style.color === 'rgb(204, 0, 0)' && el.children.length === 0)
    .map((el) => el.textContent);
const tex = (div: Element) => formulas(div).map((el) => el.dataset['tex']);

before(async () => {
  await loadMath();
});

describe('math in markdown', () => {
  it('typesets inline $…$ and \\(…\\) with KaTeX, keeping the TeX in an annotation and data-tex', () => {
    const div = render('Euler: $e^{i\\pi} + 1 = 0$ and \\(a^2 + b^2 = c^2\\).');
    expect(tex(div)).to.deep.equal(['e^{i\\pi} + 1 = 0', 'a^2 + b^2 = c^2']);
    for (const el of formulas(div)) {
      expect(el.classList.contains('math-inline')).to.equal(true);
      expect(el.querySelector('.katex .katex-html')).to.not.equal(null);
      expect(el.querySelector('math annotation[encoding="application/x-tex"]')?.textContent).to.equal(
        el.dataset['tex'],
      );
    }
    expect(div.querySelector('p')?.textContent).to.match(/^Euler: /);
  });

  it('typesets display $$…$$ and \\[…\\], as blocks and inside a paragraph', () => {
    const div = render('$$\n\\int_0^1 x\\,dx\n$$\n\n\\[ \\frac{1}{2} \\]\n\nsee $$x^2$$ here');
    expect(tex(div)).to.deep.equal(['\\int_0^1 x\\,dx', '\\frac{1}{2}', 'x^2']);
    for (const el of formulas(div)) {
      expect(el.classList.contains('math-display')).to.equal(true);
      expect(el.querySelector('.katex-display')).to.not.equal(null);
    }
    expect(div.querySelector('p span.math-display')).to.not.equal(null);
  });

  it('leaves prices, escaped dollars and lone delimiters as text', () => {
    const src = 'The pen costs $5 and the book $10. Save $ 3 $ now, \\$x\\$, 5$ and $x $ too, $4.50/$6.';
    const div = render(src);
    expect(formulas(div)).to.deep.equal([]);
    expect(div.querySelector('.math-inline, .math-display')).to.equal(null);
    expect(div.textContent).to.contain('$5 and the book $10').and.contain('$x$');
  });

  it('never reads math in code spans or fences', () => {
    const div = render('`$x$` and `\\(y\\)`, $10 or `$HOME`\n\n```\n$$\nz\n$$\n```\n');
    expect(formulas(div)).to.deep.equal([]);
    expect([...div.querySelectorAll('code')].map((c) => c.textContent)).to.deep.equal([
      '$x$',
      '\\(y\\)',
      '$HOME',
      '$$\nz\n$$\n',
    ]);
  });

  it('shows invalid TeX as its source with the error as a tooltip, and the rest of the message still renders', () => {
    const div = render('Before $\\frac{1}{$ middle $\\notacommand{x}$ after **bold**');
    const errors = [...div.querySelectorAll<HTMLElement>('.katex-error')];
    expect(errors.map((e) => e.textContent)).to.deep.equal(['\\frac{1}{', '\\notacommand{x}']);
    expect(errors[0]?.title).to.match(/^KaTeX parse error: Unexpected end of input/);
    expect(errors[1]?.title).to.match(/^KaTeX parse error: Undefined control sequence: \\notacommand/);
    // Shown as text styled by the app's sheet: no style attribute, which the CSP would refuse.
    for (const e of errors) expect(e.hasAttribute('style')).to.equal(false);
    expect(div.querySelector('strong')?.textContent).to.equal('bold');
  });

  it('refuses links, classes, styles, ids and images from TeX (trust off) and bounds sizes and expansion', () => {
    const div = render(
      [
        '$\\href{javascript:alert(1)}{x}$',
        '$\\url{https://tracker.example/}$',
        '$\\htmlClass{parley-app}{x}$',
        '$\\htmlStyle{background:url(https://tracker.example/)}{x}$',
        '$\\includegraphics{https://tracker.example/p.png}$',
        '$\\def\\a{\\a\\a}\\a$',
        '$\\rule{100000em}{100000em}$',
      ].join(' '),
    );
    expect(formulas(div).length).to.equal(7);
    expect(div.querySelector('a, img, [href], [src]')).to.equal(null);
    expect(div.querySelector('.parley-app')).to.equal(null);
    expect([...div.querySelectorAll<HTMLElement>('[style]')].some((e) => /url\(/.test(e.style.cssText))).to.equal(
      false,
    );
    // Each refused command is shown by name in the error colour; the runaway macro is an error with its source.
    expect(redText(div)).to.include.members(['\\href', '\\url', '\\htmlClass', '\\htmlStyle', '\\includegraphics']);
    const errors = [...div.querySelectorAll<HTMLElement>('.katex-error')];
    expect(errors.map((e) => e.textContent)).to.include('\\def\\a{\\a\\a}\\a');
    // The huge rule is clamped to maxSize (20em).
    const rules = [...div.querySelectorAll<HTMLElement>('.rule')];
    expect(rules.length).to.equal(1);
    for (const el of rules) expect(parseFloat(el.style.borderRightWidth)).to.be.at.most(20);
  });
});
