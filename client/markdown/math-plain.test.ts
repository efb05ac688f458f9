/** Formulas as plain text in one-line places: symbols, fractions, the renderer's own rules for what is math. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { mathToPlain, texToPlain } from './math-plain.ts';
import { markdownToPlain } from './plain-text.ts';

describe('mathToPlain', () => {
  it('reads inline and display formulas as text', () => {
    expect(mathToPlain("Euler's identity $e^{i\\pi} + 1 = 0$ holds")).to.equal("Euler's identity e^iπ + 1 = 0 holds");
    expect(mathToPlain('Pythagoras: \\(a^2 + b^2 = c^2\\).')).to.equal('Pythagoras: a^2 + b^2 = c^2.');
    expect(mathToPlain('$$\n\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}\n$$')).to.equal(
      '∫_-∞^∞ e^-x^2 dx = √π',
    );
    expect(mathToPlain('\\[ \\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6} \\]')).to.equal(
      '∑_n=1^∞ 1/(n^2) = (π^2)/6',
    );
  });

  it('leaves prices and code as they are, as the renderer does', () => {
    expect(mathToPlain('the pen costs $5 and the book $10')).to.equal('the pen costs $5 and the book $10');
    expect(mathToPlain('code: `$x$` and `$HOME`')).to.equal('code: `$x$` and `$HOME`');
  });

  it('is used by the plain reading of markdown (search snippets, pinned list)', () => {
    expect(markdownToPlain('### Math\n\n**Euler**: $e^{i\\pi} = -1$')).to.equal('Math\n\nEuler: e^iπ = -1');
    expect(texToPlain('\\left( \\alpha \\le \\beta \\right)')).to.equal('( α ≤ β )');
  });
});
