/** Builds the bench pages (bench/pages) with vite into build/bench-pages; dist/ and its bundle stay untouched. */

import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const PAGES_SRC = fileURLToPath(new URL('../../../bench/pages', import.meta.url));
export const PAGES_OUT = fileURLToPath(new URL('../../bench-pages', import.meta.url));

let built: Promise<void> | undefined;

async function buildPages(): Promise<void> {
  const common = {
    configFile: false as const,
    root: PAGES_SRC,
    base: './',
    logLevel: 'warn' as const,
    publicDir: false as const,
  };
  await build({
    ...common,
    build: {
      outDir: PAGES_OUT,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: {
        input: {
          render: `${PAGES_SRC}/render.html`,
          seed: `${PAGES_SRC}/seed.html`,
          'history-baseline': `${PAGES_SRC}/history-baseline.html`,
          'structure-seed': `${PAGES_SRC}/structure-seed.html`,
        },
      },
    },
  });
  // The probes run before the app's own scripts (Playwright's addInitScript), so they must be classic scripts.
  for (const probe of ['probe', 'structure-probe']) {
    await build({
      ...common,
      build: {
        outDir: PAGES_OUT,
        emptyOutDir: false,
        target: 'es2022',
        lib: {
          entry: `${PAGES_SRC}/${probe}.ts`,
          formats: ['iife'],
          name: 'parleyProbe',
          fileName: () => `${probe}.js`,
        },
      },
    });
  }
}

/** Builds once per `npm run bench`, whichever browser benchmark asks first. */
export function pagesReady(): Promise<void> {
  built ??= buildPages();
  return built;
}
