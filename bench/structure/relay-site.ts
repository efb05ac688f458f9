/**
 * The built relay as a user runs it (`build/relay/main.node.js`, demo agent, default limits) serving a private
 * copy of dist/ with the bench pages under /bench/, so the pages share the app's origin and its IndexedDB.
 * Stopped by its pid.
 */

import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAGES_OUT } from '../lib/pages.ts';
import { startRelayProcess } from '../lib/relay-process.ts';
import { DIST } from '../lib/site.ts';

export interface RelaySite {
  /** `http://127.0.0.1:<port>/`: the app. */
  app: string;
  /** Where the bench pages are. */
  bench: string;
  close(): Promise<void>;
}

export async function startRelaySite(extraArgs: string[] = []): Promise<RelaySite> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('structure: run `npm run build` first (it needs dist/)');
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-structure-'));
  cpSync(DIST, dir, { recursive: true });
  cpSync(PAGES_OUT, join(dir, 'bench'), { recursive: true });
  const close = () => rmSync(dir, { recursive: true, force: true });
  try {
    const relay = await startRelayProcess(dir, extraArgs);
    return {
      app: relay.base,
      bench: `${relay.base}bench/`,
      close: async () => {
        await relay.stop();
        close();
      },
    };
  } catch (err) {
    close();
    throw err;
  }
}
