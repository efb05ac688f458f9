/** Node file reader for serving the built client. */

import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { insideRoot, type StaticFiles } from '../../http/static-files.ts';

export function nodeFiles(root: string): StaticFiles {
  const base = resolve(root);
  return {
    async read(relativePath) {
      try {
        // Read the resolved path, so what was checked is what is read.
        const full = await realpath(join(base, relativePath));
        if (!insideRoot(await realpath(base), full, sep)) return undefined;
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
