/** Typesets a rendered block's math: at once when KaTeX is loaded, else after its chunk arrives (only messages with math load it). */

import { MATH_CLASS } from './math-syntax.ts';

type MathModule = typeof import('./math.ts');

const SELECTOR = `.${MATH_CLASS.inline}, .${MATH_CLASS.display}`;
let math: MathModule | undefined;
let loading: Promise<MathModule> | undefined;

export function loadMath(): Promise<MathModule> {
  loading ??= import('./math.ts').then((m) => (math = m));
  return loading;
}

/**
 * Until KaTeX arrives a placeholder shows its TeX as text; a placeholder replaced meanwhile (a streaming
 * tail re-rendered) is skipped, its successor typesets itself.
 */
export function typesetMath(root: ParentNode): void {
  const found = [...root.querySelectorAll<HTMLElement>(SELECTOR)];
  if (found.length === 0) return;
  if (math) return math.typeset(found);
  void loadMath().then((m) => m.typeset(found.filter((el) => el.isConnected)));
}

/** Gives a shadow root KaTeX's styles once math has been typeset in it. */
export function adoptMathStyles(root: ShadowRoot): void {
  if (math && root.querySelector('.katex')) math.adoptMathStyles(root);
}
