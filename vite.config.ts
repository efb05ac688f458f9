/** Build of the client PWA (vite + vite-plugin-pwa) and configuration of the Node-side test runner (vitest). */

import { fileURLToPath } from 'node:url';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { diagramChunks, withoutDiagramFiles } from './scripts/diagram-chunks.mjs';

/** The protocol folder, by absolute path. */
const SHARED = fileURLToPath(new URL('shared/', import.meta.url));
const MAIN = fileURLToPath(new URL('client/main.ts', import.meta.url));

interface Graph {
  getModuleInfo(id: string): { importedIds: readonly string[] } | null;
}

/**
 * The client modules and packages the app's entry imports statically, however deep (not through shared/, whose
 * index names every parser though a page uses a few): what the first paint loads.
 */
let firstLoad: Set<string> | undefined;
function inFirstLoad(id: string, graph: Graph): boolean {
  if (!firstLoad) {
    firstLoad = new Set();
    const queue = [MAIN];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (firstLoad.has(next) || next.startsWith(SHARED)) continue;
      firstLoad.add(next);
      queue.push(...(graph.getModuleInfo(next)?.importedIds ?? []));
    }
  }
  return firstLoad.has(id);
}

/** The first load but its entry (main.ts stays index-*.js). */
const inApp = (id: string, graph: Graph) => id !== MAIN && inFirstLoad(id, graph);

export default defineConfig({
  root: 'client',
  // Relative asset URLs: dist/ works from any static host and any sub-path.
  base: './',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // Fonts stay files (KaTeX's smallest would become data: URLs, which font-src 'self' refuses).
    assetsInlineLimit: (file) => (/\.(?:woff2?|ttf)$/.test(file) ? false : undefined),
    rollupOptions: {
      // The diagram frame is a page of its own (its own CSP, for mermaid): a second entry.
      input: {
        index: fileURLToPath(new URL('client/index.html', import.meta.url)),
        'diagram-frame': fileURLToPath(new URL('client/diagram-frame.html', import.meta.url)),
      },
      // shared/ defines types, parsers and rules and runs nothing on import: what a page imports through its index
      // but never uses (the relay-frame parsers, for the shell) is left out instead of kept for possible side effects.
      treeshake: { moduleSideEffects: (id) => (id.startsWith(SHARED) ? false : undefined) },
      output: {
        // What the first paint needs in one chunk beside the entry, Lit included, rather than a small chunk for each
        // set of lazy chunks that shares a module with it: each file there is one more request before first paint.
        // Vite's helpers stay a chunk of their own: the diagram frame (another page) uses them too and must never
        // load the app.
        codeSplitting: {
          groups: [
            { name: 'preload-helper', test: /^\0vite\// },
            { name: (id, graph) => (inApp(id, graph) ? 'app' : null) },
          ],
        },
      },
    },
  },
  // `npm run dev`: the relay runs on 8787 (scripts/dev.mjs); the dev page reaches it through its own origin.
  server: {
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8787', ws: true },
      '/healthz': 'http://127.0.0.1:8787',
      '/auth': 'http://127.0.0.1:8787',
    },
  },
  plugins: [
    diagramChunks(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // The app registers the worker itself through workbox-window (client/pwa/register-sw.ts).
      injectRegister: false,
      registerType: 'prompt',
      injectManifest: {
        // woff2: KaTeX's fonts (the math chunk), so formulas render offline; Chromium never asks for its woff or ttf copies.
        globPatterns: ['**/*.{js,css,html,png,webmanifest,woff2}'],
        // config.json is deployment-specific and fetched network-first at runtime, never precached.
        globIgnores: ['config.json', 'config.example.json', 'diagram-assets.json'],
        // Mermaid's files are cached on the first diagram, not on the first visit (scripts/diagram-chunks.mjs).
        manifestTransforms: [withoutDiagramFiles],
      },
      manifest: {
        name: 'Parley',
        short_name: 'Parley',
        description: 'An offline-first chat for AI agents.',
        id: './',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#0f766e',
        background_color: '#ffffff',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  test: {
    root: '.',
    include: ['shared/**/*.test.ts', 'relay/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Relay and browser suites start real servers; keep their port usage and CPU load predictable on 2 cores.
    fileParallelism: false,
  },
});
