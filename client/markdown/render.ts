/** Markdown to sanitized DOM: marked parses, DOMPurify sanitizes into a fragment, then links and code get their finish. */

import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { highlightElement } from './highlight.ts';

const marked = new Marked({ gfm: true, breaks: false, async: false });

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

const PURIFY = {
  RETURN_DOM_FRAGMENT: true as const,
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
  FORBID_ATTR: ['style'],
};

/** Wraps a finished code block: highlighted, with its language and a copy button. */
function finishCode(pre: HTMLPreElement): void {
  const code = pre.querySelector('code');
  if (!code) return;
  const lang = /language-([\w+-]+)/.exec(code.className)?.[1] ?? '';
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

/**
 * Renders one block. `final` blocks get highlighting and copy buttons; an unfinished tail does not
 * (its fence may still be open, so its code would be highlighted again on every frame).
 */
export function renderMarkdown(src: string, final: boolean): DocumentFragment {
  const html = marked.parse(src);
  const frag = DOMPurify.sanitize(typeof html === 'string' ? html : '', PURIFY);
  if (final) for (const pre of frag.querySelectorAll('pre')) finishCode(pre);
  for (const table of frag.querySelectorAll('table')) {
    const scroller = table.ownerDocument.createElement('div');
    scroller.className = 'table-scroll';
    table.replaceWith(scroller);
    scroller.append(table);
  }
  return frag;
}
