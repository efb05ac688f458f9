/** The lazy KaTeX chunk: typesets math placeholders as DOM (never through an HTML string) and holds KaTeX's styles. */

import katex from 'katex';
import katexCss from 'katex/dist/katex.min.css?inline';
import { checkMathDom } from './math-allowlist.ts';

/**
 * KaTeX's styles as one constructed sheet: adopted by the document (its `@font-face` rules only work
 * there) and by each shadow root that shows math. Vite makes the font URLs absolute (from this chunk's URL).
 */
export const mathSheet = new CSSStyleSheet();
mathSheet.replaceSync(katexCss);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, mathSheet];

/**
 * Untrusted TeX: no `\href`, `\url`, `\htmlClass`… (`trust: false`; KaTeX shows such a command by name in
 * the error colour) and sizes and macro expansion are bounded. Errors are thrown and shown by us: KaTeX's own
 * error node sets a `style` attribute, which the CSP refuses (`style-src-attr`).
 */
const OPTIONS = {
  throwOnError: true,
  trust: false,
  strict: 'ignore',
  output: 'htmlAndMathml',
  maxSize: 20,
  maxExpand: 500,
  errorColor: '#cc0000',
} as const;

/**
 * `katex.render` builds nodes with `createElement` and sets styles through the CSSOM, so no HTML sink
 * (Trusted Types) and no inline style attribute is parsed (CSP `style-src 'self'`). What it built is
 * then held to an allowlist; anything outside it leaves the formula as its source.
 */
export function typeset(placeholders: Iterable<HTMLElement>): void {
  for (const el of placeholders) {
    if (el.dataset['tex'] !== undefined) continue;
    const tex = el.textContent ?? '';
    const display = el.classList.contains('math-display');
    const out = el.ownerDocument.createElement('span');
    try {
      katex.render(tex, out, { ...OPTIONS, displayMode: display });
    } catch (e) {
      out.replaceChildren(mathError(el.ownerDocument, tex, e instanceof Error ? e.message : String(e)));
    }
    const problem = checkMathDom(out);
    if (problem) out.replaceChildren(mathError(el.ownerDocument, tex, `Formula not shown: ${problem}`));
    el.dataset['tex'] = tex;
    el.replaceChildren(...out.childNodes);
    const root = el.getRootNode();
    if (root instanceof ShadowRoot) adoptMathStyles(root);
  }
}

/** A formula KaTeX refused: its source, readable, with the reason on hover (styled by markdown-styles). */
function mathError(doc: Document, tex: string, reason: string): HTMLElement {
  const span = doc.createElement('span');
  span.className = 'katex-error';
  span.title = reason;
  span.textContent = tex;
  return span;
}

/** Gives a shadow root KaTeX's styles, once. */
export function adoptMathStyles(root: ShadowRoot | Document): void {
  if (!root.adoptedStyleSheets.includes(mathSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, mathSheet];
}
