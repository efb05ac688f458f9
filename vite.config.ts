/** Build of the client PWA (vite) and configuration of the Node-side test runner (vitest). */

import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: 'client',
  base: './',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
  },
  test: {
    root: '.',
    include: ['shared/**/*.test.ts', 'relay/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Relay and browser suites start real servers; keep their port usage and CPU load predictable on 2 cores.
    fileParallelism: false,
  },
});
