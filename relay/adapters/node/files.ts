/** Node file reader for serving the built client. */

import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StaticFiles } from '../../http/static-files.ts';

export function nodeFiles(root: string): StaticFiles {
  const base = resolve(root);
  return {
    async read(relativePath) {
      const full = join(base, relativePath);
      if (!full.startsWith(base)) return undefined;
      try {
        if (!(await stat(full)).isFile()) return undefined;
        return new Uint8Array(await readFile(full));
      } catch {
        return undefined;
      }
    },
  };
}

/** True when `dir` exists and holds an index.html. */
export async function hasClientBuild(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'index.html'))).isFile();
  } catch {
    return false;
  }
}
