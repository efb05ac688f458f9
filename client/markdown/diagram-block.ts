/** A finished ```mermaid fence as a figure: its source until the diagram is drawn, then the diagram, with a toggle between the two. */

import { renderDiagram, type DiagramResult } from '../diagram/diagram-host.ts';

/** The class of a diagram figure; markdown-styles gives it its look. */
export const DIAGRAM_CLASS = 'diagram';

/**
 * Replaces a highlighted-to-be `<pre>` with a figure holding the same `<pre>` (shown until the diagram
 * arrives, and whenever the reader asks for the source), a status line and a bar with the toggle and Copy.
 * `code` class on the wrapper: markdown-view's Copy button copies the `<pre>` inside it.
 */
export function finishDiagram(pre: HTMLPreElement): void {
  const doc = pre.ownerDocument;
  const figure = doc.createElement('figure');
  figure.className = `code ${DIAGRAM_CLASS}`;
  figure.dataset['state'] = 'drawing';
  const bar = doc.createElement('div');
  bar.className = 'code-bar';
  const label = doc.createElement('span');
  label.textContent = 'diagram';
  const toggle = doc.createElement('button');
  toggle.type = 'button';
  toggle.className = 'copy toggle';
  toggle.textContent = 'Source';
  toggle.setAttribute('aria-pressed', 'true');
  toggle.disabled = true;
  toggle.addEventListener('click', () => showSource(figure, toggle.getAttribute('aria-pressed') !== 'true'));
  const copy = doc.createElement('button');
  copy.type = 'button';
  copy.className = 'copy';
  copy.dataset['copy'] = '';
  copy.textContent = 'Copy';
  copy.setAttribute('aria-label', 'Copy diagram source to clipboard');
  const status = doc.createElement('p');
  status.className = 'diagram-status';
  status.setAttribute('role', 'status');
  status.textContent = 'Drawing diagram…';
  bar.append(label, toggle, copy);
  pre.replaceWith(figure);
  figure.append(bar, status, pre);
}

function showSource(figure: HTMLElement, source: boolean): void {
  const pre = figure.querySelector('pre');
  const view = figure.querySelector<HTMLElement>('.diagram-view');
  const toggle = figure.querySelector('.toggle');
  if (!pre || !view || !toggle) return;
  pre.hidden = !source;
  view.hidden = source;
  toggle.setAttribute('aria-pressed', String(source));
  toggle.textContent = source ? 'Diagram' : 'Source';
}

/** Asks for every figure still drawing; each is filled in when its diagram (or its error) comes back. */
export function drawDiagrams(root: ParentNode): void {
  for (const figure of root.querySelectorAll<HTMLElement>(`figure.${DIAGRAM_CLASS}[data-state="drawing"]`)) {
    const source = figure.querySelector('pre')?.textContent ?? '';
    figure.dataset['state'] = 'waiting';
    void renderDiagram(source).then((result) => show(figure, result));
  }
}

function show(figure: HTMLElement, result: DiagramResult): void {
  const doc = figure.ownerDocument;
  const status = figure.querySelector('.diagram-status');
  if (!result.ok) {
    figure.dataset['state'] = 'error';
    if (status) {
      status.className = 'diagram-status diagram-error';
      status.setAttribute('role', 'alert');
      status.textContent = `Diagram not drawn: ${firstLines(result.message)}`;
    }
    return;
  }
  const view = doc.createElement('div');
  view.className = 'diagram-view';
  const img = doc.createElement('img');
  img.alt = 'Diagram';
  img.dataset['name'] = 'diagram.svg';
  img.decoding = 'async';
  if (result.width > 0) img.width = Math.round(result.width);
  if (result.height > 0) img.height = Math.round(result.height);
  img.src = result.url;
  // As the markdown's own images: a control that opens the viewer (markdown-view handles click and keys).
  img.tabIndex = 0;
  img.setAttribute('role', 'button');
  img.setAttribute('aria-label', 'Enlarge diagram');
  view.append(img);
  status?.remove();
  figure.insertBefore(view, figure.querySelector('pre'));
  figure.dataset['state'] = 'drawn';
  const toggle = figure.querySelector<HTMLButtonElement>('.toggle');
  if (toggle) toggle.disabled = false;
  showSource(figure, false);
}

/** Mermaid's messages quote the whole parser state; the first lines say what is wrong. */
function firstLines(message: string): string {
  return message.split('\n').slice(0, 4).join('\n').trim() || 'unknown error';
}
