// @web/test-runner: the client's component and database tests (client/**/*.test.ts) in Debian's Chromium.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { readFile } from 'node:fs/promises';
import { chromeLauncher } from '@web/test-runner-chrome';

/** Vite's `x.css?inline` (KaTeX's styles, client/markdown/math.ts): the file's text as a module, its fonts from node_modules. */
const cssInline = {
  name: 'css-inline',
  async serve(context) {
    if (!context.path.endsWith('.css') || !context.URL.searchParams.has('inline')) return undefined;
    const dir = context.path.slice(0, context.path.lastIndexOf('/') + 1);
    const css = (await readFile(new URL(`.${context.path}`, import.meta.url), 'utf8')).replace(
      /url\((?!data:)/g,
      `url(${dir}`,
    );
    return { body: `export default ${JSON.stringify(css)};`, type: 'js' };
  },
};

/**
 * `mermaid` (the diagram frame, client/diagram/frame.ts) as its self-contained ESM build: the package's main entry
 * imports CommonJS dependencies that the dev server cannot serve as modules; Vite bundles those for the app.
 */
const mermaidBundle = {
  name: 'mermaid-bundle',
  resolveImport({ source }) {
    return source === 'mermaid' ? '/node_modules/mermaid/dist/mermaid.esm.min.mjs' : undefined;
  },
};

export default {
  files: ['client/**/*.test.ts'],
  nodeResolve: true,
  plugins: [cssInline, mermaidBundle, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'client/tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        // Without these, Chromium stalls on a closed network (component updates, sync, first-run).
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  concurrency: 1,
  // The XSS suite runs the whole corpus through every renderer, mermaid's included: over the default two minutes.
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 10000 } },
};
