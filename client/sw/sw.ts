/** Parley's service worker: precaches the app shell so it opens offline; never touches relay traffic. */

/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { cacheAllDiagramFiles, DIAGRAM_CACHE } from './diagram-cache.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/** Relay endpoints under any sub-path: WebSocket, health, auth and the OpenAI-compatible facade. */
const RELAY_PATHS = /\/(ws|healthz|auth|v1)(\/|$)/;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every navigation inside the app's scope gets the precached shell (hash routes need nothing else), except to a
// relay endpoint itself. Only the path decides: NavigationRoute's denylist also sees the query, and the README's
// link carries `?relay=ws://…/ws`.
const shell = createHandlerBoundToURL('index.html');
registerRoute(({ request, url }) => request.mode === 'navigate' && !RELAY_PATHS.test(url.pathname), shell);

// config.json may change without a new build: fresh when online, the last copy when offline.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.endsWith('/config.json') && !RELAY_PATHS.test(url.pathname),
  new NetworkFirst({ cacheName: 'parley-config', networkTimeoutSeconds: 3 }),
);

// Built files left out of the precache (mermaid's, see diagram-cache.ts): hashed, so a cached copy is never stale.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && /\/assets\/[^/]+\.(?:js|css)$/.test(url.pathname),
  new CacheFirst({ cacheName: DIAGRAM_CACHE }),
);

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && Reflect.get(data, 'type') === 'SKIP_WAITING')
    void self.skipWaiting();
  if (typeof data === 'object' && data !== null && Reflect.get(data, 'type') === 'CACHE_DIAGRAMS')
    event.waitUntil(cacheAllDiagramFiles(self.registration.scope).catch(() => undefined));
});

// The first install takes control at once (so the first visit already works offline); updates wait for the user.
clientsClaim();
