/** Deno file reader for serving the built client. */

import { insideRoot, type StaticFiles } from '../../http/static-files.ts';

export function denoFiles(root: string): StaticFiles {
  const base = root.endsWith('/') ? root : `${root}/`;
  return {
    async read(relativePath) {
      try {
        // Read the resolved path, so what was checked is what is read.
        const full = await Deno.realPath(base + relativePath);
        if (!insideRoot(await Deno.realPath(base), full, Deno.build.os === 'windows' ? '\\' : '/')) return undefined;
        if (!(await Deno.stat(full)).isFile) return undefined;
        return await Deno.readFile(full);
      } catch {
        return undefined;
      }
    },
  };
}

export async function hasClientBuild(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(`${dir}/index.html`)).isFile;
  } catch {
    return false;
  }
}
