/** Inline SVG icons (Lit templates, stroke drawn with currentColor), hidden from assistive tech. */

import { svg, html, type TemplateResult } from 'lit';

const paths = {
  plus: svg`<path d="M12 5v14M5 12h14"/>`,
  menu: svg`<path d="M4 6h16M4 12h16M4 18h16"/>`,
  send: svg`<path d="M5 12h14M13 6l6 6-6 6"/>`,
  stop: svg`<rect x="6" y="6" width="12" height="12" rx="2"/>`,
  clip: svg`<path d="M21 11.5l-8.6 8.6a5 5 0 01-7.1-7.1l8.6-8.6a3.3 3.3 0 014.7 4.7l-8.6 8.6a1.7 1.7 0 01-2.4-2.4l7.9-7.9"/>`,
  pin: svg`<path d="M9 4h6l-1 6 4 4H6l4-4-1-6zM12 14v6"/>`,
  trash: svg`<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"/>`,
  edit: svg`<path d="M4 20h4L19 9l-4-4L4 16v4z"/>`,
  gear: svg`<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.7 1.7 0 00.3 1.8l.1.1a2 2 0 11-2.8 2.8l-.1-.1a1.7 1.7 0 00-1.8-.3 1.7 1.7 0 00-1 1.5V21a2 2 0 11-4 0v-.1a1.7 1.7 0 00-1.1-1.5 1.7 1.7 0 00-1.8.3l-.1.1a2 2 0 11-2.8-2.8l.1-.1a1.7 1.7 0 00.3-1.8 1.7 1.7 0 00-1.5-1H3a2 2 0 110-4h.1a1.7 1.7 0 001.5-1.1 1.7 1.7 0 00-.3-1.8l-.1-.1a2 2 0 112.8-2.8l.1.1a1.7 1.7 0 001.8.3H9a1.7 1.7 0 001-1.5V3a2 2 0 114 0v.1a1.7 1.7 0 001 1.5 1.7 1.7 0 001.8-.3l.1-.1a2 2 0 112.8 2.8l-.1.1a1.7 1.7 0 00-.3 1.8V9a1.7 1.7 0 001.5 1H21a2 2 0 110 4h-.1a1.7 1.7 0 00-1.5 1z"/>`,
  down: svg`<path d="M12 5v14M6 13l6 6 6-6"/>`,
  chevron: svg`<path d="M9 6l6 6-6 6"/>`,
  copy: svg`<rect x="9" y="9" width="11" height="11" rx="2"/><path d="M5 15V5a1 1 0 011-1h10"/>`,
  markdown: svg`<rect x="2" y="6" width="20" height="12" rx="2"/><path d="M6 15V9l2.5 3L11 9v6M16 9v6M14 13l2 2 2-2"/>`,
  x: svg`<path d="M6 6l12 12M18 6L6 18"/>`,
  file: svg`<path d="M14 3H7a2 2 0 00-2 2v14a2 2 0 002 2h10a2 2 0 002-2V8zM14 3v5h5"/>`,
  retry: svg`<path d="M4 12a8 8 0 0114-5.3L20 9M20 4v5h-5M20 12a8 8 0 01-14 5.3L4 15M4 20v-5h5"/>`,
  search: svg`<circle cx="11" cy="11" r="6"/><path d="M20 20l-4.5-4.5"/>`,
  box: svg`<path d="M4 7l8-4 8 4v10l-8 4-8-4zM4 7l8 4 8-4M12 11v10"/>`,
  minus: svg`<path d="M5 12h14"/>`,
  save: svg`<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>`,
  fit: svg`<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/>`,
  sliders: svg`<path d="M4 7h9M17 7h3M4 17h3M11 17h9"/><circle cx="15" cy="7" r="2"/><circle cx="9" cy="17" r="2"/>`,
  more: svg`<circle cx="5" cy="12" r="1.3"/><circle cx="12" cy="12" r="1.3"/><circle cx="19" cy="12" r="1.3"/>`,
};

export type IconName = keyof typeof paths;

export function icon(name: IconName): TemplateResult {
  return html`<svg class="i" viewBox="0 0 24 24" aria-hidden="true">${paths[name]}</svg>`;
}
