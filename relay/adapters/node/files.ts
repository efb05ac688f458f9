/** Node file reader for serving the built client. */

import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { insideRoot, type StaticFiles } from '../../http/static-files.ts';

export function nodeFiles(root: string): StaticFiles {
  const base = resolve(root);
  /** The real path of a regular file inside the root, and its stat; undefined for anything else. */
  const locate = async (relativePath: string) => {
    try {
      // Read the resolved path, so what was checked is what is read.
      const full = await realpath(join(base, relativePath));
      if (!insideRoot(await realpath(base), full, sep)) return undefined;
      const info = await stat(full);
      return info.isFile() ? { full, modified: info.mtimeMs } : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    async read(relativePath) {
      const found = await locate(relativePath);
      try {
        return found ? new Uint8Array(await readFile(found.full)) : undefined;
      } catch {
        return undefined;
      }
    },
    modified: async (relativePath) => (await locate(relativePath))?.modified,
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
