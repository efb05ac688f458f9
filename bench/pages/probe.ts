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

function chatView(): Element | null | undefined {
  return document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
}

function newestMessage(): Element | undefined {
  const list = chatView()?.shadowRoot?.querySelectorAll('chat-message');
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

/**
 * Runs `fn` in the first task after the frame being rendered now. A user-blocking task runs ahead of tasks
 * already queued (a lazy chunk's evaluation, say), which would otherwise delay this timestamp, not the paint.
 */
function afterThisFrame(fn: () => void): void {
  const scheduler = (globalThis as { scheduler?: { postTask(cb: () => void, o: { priority: string }): unknown } })
    .scheduler;
  if (scheduler) void scheduler.postTask(fn, { priority: 'user-blocking' });
  else setTimeout(fn, 0);
}

/**
 * Checks in every frame's animation callbacks and, because the app may insert the messages in a later
 * callback of the same frame, again after that frame's layout (a ResizeObserver on the message list, which
 * runs before paint). Either way the marker is in the frame about to be painted; `painted` is taken in the
 * first task after it.
 */
function whenShown(marker: string): Promise<Shown> {
  return new Promise((resolve) => {
    let found = false;
    let observed: Element | undefined;
    const resized = new ResizeObserver(() => check());
    const check = () => {
      if (found || !newestShows(marker)) return false;
      found = true;
      resized.disconnect();
      const seen = performance.now();
      const markdown = newestIsMarkdown();
      afterThisFrame(() => resolve({ seen, painted: performance.now(), markdown }));
      return true;
    };
    const frame = () => {
      if (check() || found) return;
      const list = chatView()?.shadowRoot?.querySelector('.list') ?? undefined;
      if (list && list !== observed) {
        resized.disconnect();
        resized.observe(list);
        observed = list;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
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

/** Start-up milestones since navigation start, first occurrence each: where cold-start time goes. */
const phases: Record<string, number> = {};
const stampWaiters = new Map<string, () => void>();
const stamp = (name: string) => {
  phases[name] ??= performance.now();
  stampWaiters.get(name)?.();
};
/** Resolves once `name` is stamped, or after `ms` (it may never come); never rejects. */
const whenStamped = (name: string, ms: number) =>
  phases[name] !== undefined
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        stampWaiters.set(name, resolve);
        setTimeout(resolve, ms);
      });
document.addEventListener('DOMContentLoaded', () => stamp('domContentLoaded'));
const openDb = indexedDB.open.bind(indexedDB);
indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
  stamp('dbOpenStart');
  const req = openDb(...args);
  req.addEventListener('success', () => stamp('dbOpen'));
  return req;
};
const getAllByIndex = IDBIndex.prototype.getAll;
IDBIndex.prototype.getAll = function (this: IDBIndex, ...args: Parameters<IDBIndex['getAll']>) {
  const req = getAllByIndex.apply(this, args);
  const store = this.objectStore.name;
  if (store === 'messages' || store === 'sessions') req.addEventListener('success', () => stamp(`${store}Read`));
  return req;
};
// The first page of a chat is read with getAllRecords (Chromium 141+; client/state/db.ts), which getAll misses.
const indexProto = IDBIndex.prototype as IDBIndex & { getAllRecords?: (...args: unknown[]) => IDBRequest };
const getAllRecords = indexProto.getAllRecords;
if (getAllRecords) {
  indexProto.getAllRecords = function (this: IDBIndex, ...args: unknown[]) {
    const req = getAllRecords.apply(this, args);
    if (this.objectStore.name === 'messages') req.addEventListener('success', () => stamp('messagesRead'));
    return req;
  };
}
const getAll = IDBObjectStore.prototype.getAll;
IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
  const req = getAll.apply(this, args);
  if (this.name === 'outbox') req.addEventListener('success', () => stamp('outboxRead'));
  return req;
};
const fetchFn = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const settled = fetchFn(input, init);
  if (String(input instanceof Request ? input.url : input).endsWith('config.json')) {
    settled.then(
      () => stamp('configLoaded'),
      () => stamp('configLoaded'),
    );
  }
  return settled;
};
const watchShell = () => {
  if (document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view')) stamp('shell');
  else requestAnimationFrame(watchShell);
};
requestAnimationFrame(watchShell);

const marker = (window as { __benchMarker?: string }).__benchMarker;
const startup = marker ? whenShown(marker) : undefined;

Object.assign(window, {
  __probe: {
    open,
    countNodes: () => countNodes(),
    /** Since navigation start: when the newest message first showed, and first contentful paint. */
    startup: async () => {
      const shown = await startup;
      // The outbox is read after the first paint (AppCore.start): wait for it so its milestone is a time, not
      // missing; it lands after `painted` and is off the critical path.
      await whenStamped('outboxRead', 3000);
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      return shown ? { ...shown, fcp: fcp ?? Number.NaN, phases } : undefined;
    },
  },
});
