/**
 * Runs inside diagram-frame.html, a same-origin frame with its own CSP: mermaid lays diagrams out here because it
 * writes `<style>` elements, style attributes and innerHTML, which the app's CSP and Trusted Types refuse.
 */

import mermaid from 'mermaid';
import { parseRenderRequest, type RenderReply, type RenderRequest } from './frame-messages.ts';

let count = 0;
let queue = Promise.resolve();

/**
 * `securityLevel: 'strict'`: labels are sanitized, click handlers and links are dropped. The frame's CSP
 * (script-src 'self', no eval) means even markup that slipped through could not run.
 */
function configure(theme: RenderRequest['theme']): void {
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme,
    // Never fetch: fonts are the system's (the SVG is shown as an image, which loads nothing either).
    fontFamily: 'system-ui, sans-serif',
    maxTextSize: 50_000,
    maxEdges: 2_000,
    suppressErrorRendering: true,
  });
}

async function render(req: RenderRequest): Promise<RenderReply> {
  configure(req.theme);
  try {
    const { svg } = await mermaid.render(`diagram-${++count}`, req.source);
    return { type: 'rendered', id: req.id, ...finish(svg) };
  } catch (e) {
    return { type: 'failed', id: req.id, message: e instanceof Error ? e.message : String(e) };
  }
}

/** Elements an image file has no use for; mermaid's strict mode makes none, this makes sure. */
const ACTIVE = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'a',
  'animate',
  'set',
  'animatemotion',
  'animatetransform',
]);

/**
 * Holds mermaid's SVG to what an image file may hold (the app shows it as an `<img>`, where nothing runs, but a
 * downloaded copy opened on its own is a document): no handlers, no links or references leaving the file, no
 * script. Gives it its natural size (mermaid writes width="100%"), so it has one as an image and as a file.
 */
function finish(markup: string): { svg: string; width: number; height: number } {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName !== 'svg' || doc.querySelector('parsererror'))
    throw new Error('Mermaid drew something that is not an SVG.');
  for (const el of [...root.querySelectorAll('*')]) {
    if (ACTIVE.has(el.localName.toLowerCase())) {
      el.replaceWith(...el.childNodes);
      continue;
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const local = name.replace(/^xlink:/, '');
      if (name.startsWith('on') || ((local === 'href' || local === 'src') && !attr.value.startsWith('#')))
        el.removeAttribute(attr.name);
    }
  }
  const box =
    root
      .getAttribute('viewBox')
      ?.trim()
      .split(/[\s,]+/)
      .map(Number) ?? [];
  const width = Math.max(0, box[2] ?? 0) || 0;
  const height = Math.max(0, box[3] ?? 0) || 0;
  if (width && height) {
    root.setAttribute('width', String(Math.ceil(width)));
    root.setAttribute('height', String(Math.ceil(height)));
  }
  return { svg: new XMLSerializer().serializeToString(root), width, height };
}

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || event.source !== parent) return;
  const [port] = event.ports;
  if (!port) return;
  port.onmessage = (m: MessageEvent) => {
    const req = parseRenderRequest(m.data);
    if (!req) return;
    // One diagram at a time: mermaid keeps global state between initialize and render.
    queue = queue.then(async () => port.postMessage(await render(req)));
  };
  port.postMessage({ type: 'ready' });
});

// Mermaid has loaded, so the app is online: ask the service worker to keep every diagram type for offline use.
// `ready`, not `controller`: on a first visit the worker may still be installing when the first diagram comes.
void navigator.serviceWorker?.ready.then((registration) =>
  registration.active?.postMessage({ type: 'CACHE_DIAGRAMS' }),
);
