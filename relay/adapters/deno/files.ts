/** Deno file reader for serving the built client. */

import { insideRoot, type StaticFiles } from '../../http/static-files.ts';

export function denoFiles(root: string): StaticFiles {
  const base = root.endsWith('/') ? root : `${root}/`;
  /** The real path of a regular file inside the root, and when it was written; undefined for anything else. */
  const locate = async (relativePath: string) => {
    try {
      // Read the resolved path, so what was checked is what is read.
      const full = await Deno.realPath(base + relativePath);
      if (!insideRoot(await Deno.realPath(base), full, Deno.build.os === 'windows' ? '\\' : '/')) return undefined;
      const info = await Deno.stat(full);
      return info.isFile ? { full, modified: info.mtime?.getTime() ?? 0 } : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    async read(relativePath) {
      const found = await locate(relativePath);
      try {
        return found ? await Deno.readFile(found.full) : undefined;
      } catch {
        return undefined;
      }
    },
    modified: async (relativePath) => (await locate(relativePath))?.modified,
  };
}

export async function hasClientBuild(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(`${dir}/index.html`)).isFile;
  } catch {
    return false;
  }
}
