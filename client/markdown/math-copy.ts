/** Copying rendered math yields its TeX: each formula in the selection becomes `$…$` or `$$…$$` in the plain text. */

/** Leaves the event alone (the browser's own copy) unless the selection holds math. */
export function copyWithTex(selection: Selection, e: ClipboardEvent): void {
  if (selection.rangeCount === 0 || !e.clipboardData) return;
  const frag = selection.getRangeAt(0).cloneContents();
  // A formula only partly selected is cloned with its wrapper, so its TeX is still there.
  const formulas = frag.querySelectorAll<HTMLElement>('[data-tex]');
  if (formulas.length === 0) {
    const inside = selection.anchorNode?.parentElement?.closest<HTMLElement>('[data-tex]');
    if (!inside) return;
    e.clipboardData.setData('text/plain', inside.dataset['tex'] ?? '');
    e.preventDefault();
    return;
  }
  for (const el of formulas) {
    const tex = el.dataset['tex'] ?? '';
    el.replaceWith(el.classList.contains('math-display') ? `$$${tex}$$` : `$${tex}$`);
  }
  // The markup's own line breaks between blocks become one blank line, as between paragraphs.
  const text = (frag.textContent ?? '').replace(/\n[ \t]*(?:\n[ \t]*)+/g, '\n\n').trim();
  e.clipboardData.setData('text/plain', text);
  e.preventDefault();
}
