/**
 * Finds whatever in rendered DOM could run script, navigate, load from elsewhere or leave a reference to
 * this page: the checks of the XSS suites (components in wtr, the whole app in the end-to-end test).
 *
 * One self-contained function, so the end-to-end test can hand it to `page.evaluate` as it is.
 */
export function findXssProblems(root: Node): string[] {
  const problems: string[] = [];
  // Elements that run script, embed documents or plugins, redirect, restyle the page or rebase its URLs.
  // prettier-ignore
  const forbiddenTags = [
    'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'fencedframe', 'base', 'meta',
    'link', 'style', 'template', 'isindex', 'bgsound', 'xml', 'handler', 'listener',
  ];
  // SVG and MathML parts that load, link or animate attributes (the app's own icons use none of them).
  // prettier-ignore
  const forbiddenForeign = [
    'a', 'use', 'image', 'feimage', 'animate', 'animatemotion', 'animatetransform', 'set', 'discard', 'foreignobject',
    'script', 'maction', 'annotation-xml',
  ];
  // prettier-ignore
  const urlAttrs = [
    'href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'codebase',
    'cite', 'longdesc', 'dynsrc', 'lowsrc', 'ping', 'manifest', 'icon', 'folder', 'to', 'from', 'values',
  ];
  const alwaysForbiddenAttrs = ['srcdoc', 'srcset', 'formaction', 'http-equiv', 'xlink:href', 'ping', 'codebase'];
  const rasterData = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;
  // A diagram the diagram frame drew (client/markdown/diagram-block.ts): an SVG shown only through <img>, where
  // it runs no script and loads nothing. Markdown cannot make one: the sanitizer allows neither <figure> nor SVG data:.
  const diagramImage = (el: Element): boolean =>
    el.localName === 'img' &&
    el.getAttribute('data-name') === 'diagram.svg' &&
    el.parentElement?.parentElement?.matches('figure.diagram') === true &&
    hostOf(el) === 'markdown-view' &&
    /^data:image\/svg\+xml;charset=utf-8,/.test(el.getAttribute('src') ?? '');

  /** What a browser makes of a URL attribute's scheme: it drops controls and whitespace, entities are already decoded. */
  const scheme = (value: string): string => {
    const squeezed = value.replace(
      // eslint-disable-next-line no-control-regex -- control characters are exactly what hides a scheme
      /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200b\u2028\u2029\u205f\u3000\ufeff]/g,
      '',
    );
    const m = /^([a-z][a-z0-9+.-]*):/i.exec(squeezed);
    return m ? (m[1] ?? '').toLowerCase() : '';
  };
  const hostOf = (el: Element): string => {
    const r = el.getRootNode();
    return r instanceof ShadowRoot ? r.host.localName : '';
  };
  const describe = (el: Element): string => {
    const attrs = Array.from(el.attributes, (a) => `${a.name}="${a.value.slice(0, 60)}"`).join(' ');
    const host = hostOf(el);
    return `${host ? `${host} › ` : ''}<${el.localName}${attrs ? ` ${attrs}` : ''}>`;
  };

  const check = (el: Element): void => {
    const tag = el.localName.toLowerCase();
    const html = el.namespaceURI === 'http://www.w3.org/1999/xhtml';
    if (html && forbiddenTags.includes(tag)) problems.push(`forbidden element ${describe(el)}`);
    if (!html && forbiddenForeign.includes(tag)) problems.push(`active SVG/MathML element ${describe(el)}`);
    if (html && tag === 'form' && el.hasAttribute('action')) problems.push(`form with action ${describe(el)}`);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`event handler attribute ${name} on ${describe(el)}`);
      if (alwaysForbiddenAttrs.includes(name)) problems.push(`attribute ${name} on ${describe(el)}`);
      if (urlAttrs.includes(name)) {
        const s = scheme(attr.value);
        if (s === 'javascript' || s === 'vbscript' || s === 'livescript' || s === 'mhtml' || s === 'jar')
          problems.push(`${s}: URL in ${name} of ${describe(el)}`);
        else if (
          s === 'data' &&
          !(tag === 'img' && name === 'src' && (rasterData.test(attr.value.trim()) || diagramImage(el)))
        )
          problems.push(`data: URL in ${name} of ${describe(el)}`);
      }
    }
    if (html && tag === 'img') {
      const src = el.getAttribute('src') ?? '';
      const s = scheme(src);
      // Blob URLs are the app's own attachment bytes, and only <message-attachments> shows them.
      // An image without a source loads nothing.
      const ok =
        rasterData.test(src.trim()) ||
        diagramImage(el) ||
        (s === 'blob' && hostOf(el) === 'message-attachments') ||
        s === '' ||
        s === 'http' ||
        s === 'https';
      if (!ok) problems.push(`image with unsafe source ${describe(el)}`);
    }
    if (html && (tag === 'a' || tag === 'area') && el.hasAttribute('href')) {
      const href = el.getAttribute('href') ?? '';
      const s = scheme(href);
      const inApp = href.startsWith('#') || (s === 'blob' && el.hasAttribute('download'));
      if (!inApp) {
        if (s !== '' && s !== 'http' && s !== 'https' && s !== 'mailto' && s !== 'tel')
          problems.push(`link with scheme ${s}: ${describe(el)}`);
        const rel = (el.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
        if (el.getAttribute('target') !== '_blank' || !rel.includes('noopener') || !rel.includes('noreferrer'))
          problems.push(`external link without target=_blank rel="noopener noreferrer": ${describe(el)}`);
      }
    }
  };

  const walk = (node: Node): void => {
    if (node instanceof Element) {
      check(node);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    for (const child of Array.from(node.childNodes)) walk(child);
  };
  walk(root);
  return problems;
}
