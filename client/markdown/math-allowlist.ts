/** What KaTeX may build: the elements and attributes of its HTML, SVG and MathML output and nothing else. */

// prettier-ignore
const HTML_TAGS = new Set(['span', 'br']);
// prettier-ignore
const SVG_TAGS = new Set(['svg', 'path', 'line', 'g']);
// prettier-ignore
const MATHML_TAGS = new Set([
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup',
  'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mlabeledtr', 'mstyle',
  'mpadded', 'mphantom', 'menclose', 'merror',
]);
// prettier-ignore
const ATTRS = new Set([
  'class', 'style', 'aria-hidden', 'title', 'xmlns', 'encoding', 'display', 'mathvariant', 'mathcolor', 'mathbackground',
  'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'width', 'height', 'depth', 'voffset', 'minsize', 'maxsize',
  'symmetric', 'largeop', 'movablelimits', 'accent', 'accentunder', 'linethickness', 'scriptlevel', 'displaystyle',
  'columnalign', 'rowalign', 'columnspacing', 'rowspacing', 'columnlines', 'rowlines', 'frame', 'framespacing',
  'notation', 'form', 'viewbox', 'preserveaspectratio', 'd', 'x1', 'x2', 'y1', 'y2', 'stroke-width', 'side', 'lquote',
  'rquote', 'bevelled',
]);

const NS = {
  html: 'http://www.w3.org/1999/xhtml',
  svg: 'http://www.w3.org/2000/svg',
  mathml: 'http://www.w3.org/1998/Math/MathML',
};

function tagAllowed(el: Element): boolean {
  const tag = el.localName;
  if (el.namespaceURI === NS.html) return HTML_TAGS.has(tag);
  if (el.namespaceURI === NS.svg) return SVG_TAGS.has(tag);
  if (el.namespaceURI === NS.mathml) return MATHML_TAGS.has(tag);
  return false;
}

/**
 * The first thing outside the allowlist, or undefined. A style may size and colour, never load
 * (`url(`), and the only link-like attributes KaTeX has (`href`, `src`) are not in the list.
 */
export function checkMathDom(root: Element): string | undefined {
  for (const el of root.querySelectorAll('*')) {
    if (!tagAllowed(el)) return `element <${el.localName}>`;
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (!ATTRS.has(name)) return `attribute ${name} on <${el.localName}>`;
      if (/url\(|expression\(|@import|javascript:/i.test(attr.value)) return `${name} value on <${el.localName}>`;
    }
  }
  return undefined;
}
