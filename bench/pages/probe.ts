/**
 * Injected into the built app before its own scripts (built as a classic script): watches for the newest
 * message of the open chat to show a marker text, and counts DOM nodes, shadow roots included.
 * Exposes `window.__probe`; with `window.__benchMarker` set beforehand it times the page's own start-up.
 */

import { afterPaint } from './after-paint.ts';

export interface Shown {
  /** performance.now() in the frame that first showed the marker (its rAF callback). */
  seen: number;
  /** performance.now() in the first task after that frame was produced. */
  painted: number;
  /** Whether the newest message was already rendered as markdown (not the plain-text placeholder). */
  markdown: boolean;
}

/** Text as a reader sees it: through shadow roots, which textContent does not enter. */
function deepText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  const kids = node instanceof Element && node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
  let out = '';
  for (const kid of kids) out += deepText(kid);
  return out;
}

function newestMessage(): Element | undefined {
  const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
  const list = view?.shadowRoot?.querySelectorAll('chat-message');
  return list?.[list.length - 1];
}

function newestShows(marker: string): boolean {
  const message = newestMessage();
  return message !== undefined && deepText(message).includes(marker);
}

function newestIsMarkdown(): boolean {
  const md = newestMessage()?.shadowRoot?.querySelector('markdown-view');
  return md?.shadowRoot?.querySelector('.blocks > *, .tail:not(.plain) > *') != null;
}

/** Checks once per frame, in the frame's animation callbacks, until the newest message shows `marker`. */
function whenShown(marker: string): Promise<Shown> {
  return new Promise((resolve) => {
    const check = () => {
      if (!newestShows(marker)) return void requestAnimationFrame(check);
      const seen = performance.now();
      const markdown = newestIsMarkdown();
      setTimeout(() => resolve({ seen, painted: performance.now(), markdown }), 0);
    };
    requestAnimationFrame(check);
  });
}

function countNodes(root: Node = document): number {
  let n = 1;
  if (root instanceof Element && root.shadowRoot) n += countNodes(root.shadowRoot);
  for (const kid of root.childNodes) n += countNodes(kid);
  return n;
}

/** Switches the running app to `#/c/<chat>` and times until its newest message is on screen. */
async function open(chatId: string, marker: string): Promise<{ ms: number; markdown: boolean }> {
  await afterPaint();
  const t0 = performance.now();
  location.hash = `#/c/${chatId}`;
  const shown = await whenShown(marker);
  return { ms: shown.painted - t0, markdown: shown.markdown };
}

const marker = (window as { __benchMarker?: string }).__benchMarker;
const startup = marker ? whenShown(marker) : undefined;

Object.assign(window, {
  __probe: {
    open,
    countNodes: () => countNodes(),
    /** Since navigation start: when the newest message first showed, and first contentful paint. */
    startup: async () => {
      const shown = await startup;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      return shown ? { ...shown, fcp: fcp ?? Number.NaN } : undefined;
    },
  },
});
