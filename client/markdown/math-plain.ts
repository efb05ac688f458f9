/** Formulas as plain text for one-line places (the sidebar preview, search snippets): `$\frac{\pi}{2}$` reads as π/2, not as TeX. */

import { BLOCK, INLINE } from './math-syntax.ts';

// prettier-ignore
const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ',
  phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ',
  Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', infty: '∞', sum: '∑', prod: '∏', int: '∫', oint: '∮',
  partial: '∂', nabla: '∇', sqrt: '√', le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', approx: '≈',
  equiv: '≡', sim: '∼', pm: '±', mp: '∓', times: '×', cdot: '·', div: '÷', to: '→', rightarrow: '→',
  leftarrow: '←', Rightarrow: '⇒', iff: '⇔', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪',
  cap: '∩', forall: '∀', exists: '∃', emptyset: '∅', ldots: '…', cdots: '⋯', dots: '…', circ: '∘', deg: '°',
};

/** A formula's TeX read aloud as plain text: symbols as Unicode, fractions as a/b, markup dropped. */
export function texToPlain(tex: string): string {
  let s = tex;
  // \frac{a}{b}: innermost first, so nested fractions read as (a/b)/c.
  for (let i = 0; i < 5 && /\\[dt]?frac\s*\{/.test(s); i++)
    s = s.replace(
      /\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g,
      (_, a: string, b: string) => `${a.length > 1 ? `(${a})` : a}/${b.length > 1 ? `(${b})` : b}`,
    );
  return s
    .replace(/\\(?:left|right|big|Big|bigg|Bigg|displaystyle|mathrm|mathbf|mathit|mathbb|operatorname|text)\b/g, '')
    .replace(/\\(?:begin|end)\{[^}]*\}/g, ' ')
    .replace(/\\[,;:! ]|~/g, ' ')
    .replace(/\\\\/g, '; ')
    .replace(/\\([A-Za-z]+)/g, (_, name: string) => SYMBOLS[name] ?? name)
    .replace(/\\(.)/g, '$1')
    .replace(/[{}]/g, '')
    .replace(/&/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Every formula in `text` (by the same rules the renderer finds them: prices and code stay as they are) as
 * plain text. Code spans are skipped whole, as the renderer skips them.
 */
export function mathToPlain(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      const end = close === -1 ? text.length : close + 1;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '$' || c === '\\') {
      const rest = text.slice(i);
      const atLineStart = i === 0 || text[i - 1] === '\n';
      const m = (atLineStart ? BLOCK : [])
        .concat(INLINE)
        .reduce<RegExpExecArray | null>((found, re) => found ?? re.exec(rest), null);
      if (m) {
        out += texToPlain(m[1] ?? '');
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}
