/** Deno file reader for serving the built client. */

import type { StaticFiles } from '../../http/static-files.ts';

export function denoFiles(root: string): StaticFiles {
  const base = root.endsWith('/') ? root : `${root}/`;
  return {
    async read(relativePath) {
      try {
        const full = base + relativePath;
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
