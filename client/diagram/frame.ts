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
    const size = measure(svg);
    return { type: 'rendered', id: req.id, svg, ...size };
  } catch (e) {
    return { type: 'failed', id: req.id, message: e instanceof Error ? e.message : String(e) };
  }
}

/** The SVG's natural size from its viewBox (mermaid sets width="100%" and a max-width). */
function measure(svg: string): { width: number; height: number } {
  const box = /viewBox="[-\d.e]+ [-\d.e]+ ([\d.e]+) ([\d.e]+)"/.exec(svg);
  return { width: Number(box?.[1] ?? 0) || 0, height: Number(box?.[2] ?? 0) || 0 };
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
