/** The app's side of the diagram frame: loads it once, on the first diagram, and turns sources into SVG images or errors. */

import {
  isReady,
  MAX_DIAGRAM_SOURCE,
  parseRenderReply,
  type DiagramTheme,
  type RenderReply,
} from './frame-messages.ts';

/** What a diagram became: an image URL (an SVG as a data: URL, shown only through `<img>`) or a reason. */
export type DiagramResult = { ok: true; url: string; width: number; height: number } | { ok: false; message: string };

/** Where the frame lives, relative to the page; tests serve it from elsewhere. */
export const frameLocation = { url: './diagram-frame.html' };

/** How long the frame may take to load (its chunk is large on a slow network). */
const LOAD_TIMEOUT_MS = 30_000;
/**
 * After the frame's load event its script has run (module scripts delay it), so its answer is immediate; none
 * means the script did not load: offline before the first diagram, or a host whose policy refuses the frame.
 */
const READY_AFTER_LOAD_MS = 3_000;
/** Results kept for sources seen before: a re-rendered message or a remounted one costs no layout. */
const CACHE_SIZE = 50;

let port: Promise<MessagePort> | undefined;
let nextId = 0;
const pending = new Map<number, (r: RenderReply) => void>();
const cache = new Map<string, Promise<DiagramResult>>();

function openFrame(): Promise<MessagePort> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.title = 'Diagram renderer';
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    // Off screen but laid out: mermaid measures text, which a display:none frame cannot do. CSSOM, not a
    // style attribute, which the CSP refuses.
    Object.assign(frame.style, {
      position: 'fixed',
      left: '-10000px',
      top: '0',
      width: '1200px',
      height: '800px',
      border: '0',
      visibility: 'hidden',
    });
    const NOT_LOADED = 'The diagram renderer did not load (offline before its first use?)';
    let timer = setTimeout(() => fail(NOT_LOADED), LOAD_TIMEOUT_MS);
    const fail = (message: string) => {
      clearTimeout(timer);
      frame.remove();
      port = undefined;
      reject(new Error(message));
    };
    frame.addEventListener('load', () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (m: MessageEvent) => {
        if (isReady(m.data)) {
          clearTimeout(timer);
          resolve(channel.port1);
          return;
        }
        const reply = parseRenderReply(m.data);
        if (reply) pending.get(reply.id)?.(reply);
      };
      clearTimeout(timer);
      timer = setTimeout(() => fail(NOT_LOADED), READY_AFTER_LOAD_MS);
      frame.contentWindow?.postMessage({ type: 'connect' }, location.origin, [channel.port2]);
    });
    frame.addEventListener('error', () => fail('The diagram renderer could not load'));
    frame.src = new URL(frameLocation.url, document.baseURI).href;
    document.body.append(frame);
  });
}

/** Mermaid's theme to match the page: the app sets `color-scheme` on the root for its theme. */
function theme(): DiagramTheme {
  const scheme = getComputedStyle(document.documentElement).colorScheme;
  if (scheme === 'dark') return 'dark';
  if (scheme === 'light') return 'default';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
}

async function request(source: string, look: DiagramTheme): Promise<DiagramResult> {
  if (source.length > MAX_DIAGRAM_SOURCE) return { ok: false, message: 'This diagram is too long to draw.' };
  let p: MessagePort;
  try {
    p = await (port ??= openFrame());
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const id = nextId++;
  const reply = await new Promise<RenderReply>((resolve) => {
    pending.set(id, resolve);
    p.postMessage({ type: 'render', id, source, theme: look });
  });
  pending.delete(id);
  if (reply.type === 'failed') return { ok: false, message: reply.message };
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(reply.svg)}`;
  return { ok: true, url, width: reply.width, height: reply.height };
}

/** Draws a diagram, once per source and theme; a failure to load the frame is not cached (it may load later). */
export function renderDiagram(source: string): Promise<DiagramResult> {
  const look = theme();
  const key = `${look}\n${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = request(source, look);
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
  void result.then((r) => {
    if (!r.ok && port === undefined) cache.delete(key);
  });
  return result;
}
