/** Markdown to sanitized DOM: marked parses, DOMPurify sanitizes into a fragment, then links, images, code and math get their finish. */

import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { drawDiagrams, finishDiagram } from './diagram-block.ts';
import { highlightElement } from './highlight.ts';
import { typesetMath } from './math-loader.ts';
import { MATH_CLASS, mathExtension } from './math-syntax.ts';

export { adoptMathStyles } from './math-loader.ts';

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Raw HTML in the markdown is shown as the text it is, except bare formatting tags (`<br>`, `<kbd>`,
 * `<details>`…: no attributes). Nothing with an attribute reaches the HTML parser, so an event handler
 * or a style never does either — not even in DOMPurify's inert document, where Chromium would still
 * report it to the page's CSP (a console error and a violation report for every hostile message).
 */
// prettier-ignore
const BARE_TAGS = [
  'b', 'i', 'u', 's', 'em', 'strong', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'kbd', 'samp', 'var', 'abbr',
  'q', 'br', 'hr', 'p', 'div', 'span', 'details', 'summary', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li', 'dl',
  'dt', 'dd', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
];
const NOT_A_BARE_TAG = new RegExp(`<(?!/?(?:${BARE_TAGS.join('|')})\\s*/?>)`, 'gi');

marked.use({ renderer: { html: ({ text }) => text.replace(NOT_A_BARE_TAG, '&lt;') } }, mathExtension);

/**
 * Our own instance, so its hooks and its Trusted Types policy ("dompurify") are not shared with anything else.
 * Text comes from models and strangers: only what markdown itself produces (plus a few harmless inline tags)
 * survives — no SVG or MathML (namespace-confusion mXSS), no forms, media, frames, styles, ids or names.
 */
const purify = DOMPurify(window);

// prettier-ignore
const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre',
  'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'tr', 'u', 'ul', 'var',
];

const ALLOWED_ATTR = [
  'href',
  'title',
  'alt',
  'src',
  'class',
  'align',
  'start',
  'colspan',
  'rowspan',
  'open',
  'checked',
];

/** Links: the web, mail and phone, and relative references; never script-capable or data: schemes. */
const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto|tel):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/** Inline images only as raster data: URLs. SVG can carry script; blob: URLs would point into this origin. */
const SAFE_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;

const PURIFY = {
  RETURN_DOM_FRAGMENT: true as const,
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

purify.addHook('uponSanitizeAttribute', (node, data) => {
  // Classes only name a code block's language or mark math (raw HTML never has attributes, so only the
  // math extension makes these): anything else could dress content up as the app's own UI.
  if (data.attrName === 'class')
    data.keepAttr =
      (node.tagName === 'CODE' && /^language-[\w+-]+$/.test(data.attrValue)) ||
      ((node.tagName === 'SPAN' || node.tagName === 'DIV') &&
        (data.attrValue === MATH_CLASS.inline || data.attrValue === MATH_CLASS.display));
});

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
  // GFM task lists are the only inputs markdown makes: whatever arrives becomes an inert checkbox.
  if (node.tagName === 'INPUT') {
    node.setAttribute('type', 'checkbox');
    node.setAttribute('disabled', '');
  }
});

/**
 * An image from elsewhere is not fetched (it would tell its server who reads the chat and when, and a
 * prompt-injected model can put the conversation in its URL): it becomes a link the reader may follow.
 */
function finishImage(img: HTMLImageElement): void {
  const src = img.getAttribute('src') ?? '';
  if (SAFE_IMAGE.test(src)) return;
  const doc = img.ownerDocument;
  const label = img.getAttribute('alt')?.trim() || 'image';
  if (/^(?:https?:)?\/\//i.test(src)) {
    const a = doc.createElement('a');
    a.href = src.startsWith('//') ? `https:${src}` : src;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.title = `Image not loaded: ${src}`;
    a.textContent = `Image: ${label}`;
    img.replaceWith(a);
  } else {
    img.replaceWith(doc.createTextNode(label === 'image' ? '' : label));
  }
}

/** Wraps a finished code block: highlighted, with its language and a copy button. */
function finishCode(pre: HTMLPreElement): void {
  const code = pre.querySelector('code');
  if (!code) return;
  const lang = /language-([\w+-]+)/.exec(code.className)?.[1] ?? '';
  if (lang === 'mermaid') return finishDiagram(pre);
  highlightElement(code);
  const doc = pre.ownerDocument;
  const wrap = doc.createElement('div');
  wrap.className = 'code';
  const bar = doc.createElement('div');
  bar.className = 'code-bar';
  const label = doc.createElement('span');
  label.textContent = lang || 'code';
  const copy = doc.createElement('button');
  copy.type = 'button';
  copy.className = 'copy';
  copy.dataset['copy'] = '';
  copy.textContent = 'Copy';
  copy.setAttribute('aria-label', `Copy ${lang || 'code'} to clipboard`);
  bar.append(label, copy);
  pre.replaceWith(wrap);
  wrap.append(bar, pre);
}

function asText(src: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const p = document.createElement('p');
  p.textContent = src;
  frag.append(p);
  return frag;
}

/**
 * Renders one block. `final` blocks get highlighting and copy buttons; an unfinished tail does not
 * (its fence may still be open, so its code would be highlighted again on every frame).
 */
export function renderMarkdown(src: string, final: boolean): DocumentFragment {
  const html = marked.parse(src);
  // DOMPurify answers null when the markup parses to a document without a body (`<frameset>` first):
  // such a block is shown as the text it is rather than breaking the whole message.
  const frag = purify.sanitize(typeof html === 'string' ? html : '', PURIFY) ?? asText(src);
  for (const img of frag.querySelectorAll('img')) finishImage(img);
  if (final) for (const pre of frag.querySelectorAll('pre')) finishCode(pre);
  for (const table of frag.querySelectorAll('table')) {
    const scroller = table.ownerDocument.createElement('div');
    scroller.className = 'table-scroll';
    table.replaceWith(scroller);
    scroller.append(table);
  }
  // Only closed formulas became placeholders (the syntax needs the closing delimiter), so an unclosed
  // one in a streaming tail is still text.
  typesetMath(frag);
  // Only final blocks have diagram figures: a fence still open (or a tail still streaming) stays code.
  if (final) drawDiagrams(frag);
  return frag;
}
