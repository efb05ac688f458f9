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

export default {
  files: ['client/**/*.test.ts'],
  nodeResolve: true,
  plugins: [cssInline, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'client/tsconfig.json' })],
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
  testFramework: { config: { timeout: 10000 } },
};
