// A Vite plugin that finds the files only the diagram frame uses (mermaid and its diagram types: about 1 MB
// gzipped) and lists them in dist/diagram-assets.json. The service worker leaves them out of its precache and
// caches them all on the first diagram instead, so a first visit stays small and diagrams work offline after one.

/** @typedef {{ type: 'chunk', fileName: string, imports: string[], dynamicImports: string[], isEntry: boolean, facadeModuleId: string | null, viteMetadata?: { importedCss: Set<string>, importedAssets: Set<string> } }} Chunk */

const FRAME_ENTRY = /diagram-frame\.html$/;

/** @type {Set<string>} filled by generateBundle, read by the service worker build's manifestTransforms */
export const diagramOnlyFiles = new Set();

/** @returns {import('vite').Plugin} */
export function diagramChunks() {
  return {
    name: 'parley-diagram-chunks',
    apply: 'build',
    generateBundle(_options, bundle) {
      /** @type {Map<string, Chunk>} */
      const chunks = new Map();
      for (const [name, item] of Object.entries(bundle)) if (item.type === 'chunk') chunks.set(name, item);
      const reach = (/** @type {(c: Chunk) => boolean} */ isRoot) => {
        const seen = new Set();
        const queue = [...chunks.values()].filter(isRoot).map((c) => c.fileName);
        while (queue.length) {
          const file = queue.pop() ?? '';
          if (seen.has(file)) continue;
          seen.add(file);
          const chunk = chunks.get(file);
          if (chunk) queue.push(...chunk.imports, ...chunk.dynamicImports);
        }
        return seen;
      };
      const isFrame = (/** @type {Chunk} */ c) => c.isEntry && FRAME_ENTRY.test(c.facadeModuleId ?? '');
      const app = reach((c) => c.isEntry && !isFrame(c));
      diagramOnlyFiles.clear();
      for (const file of reach(isFrame)) if (!app.has(file)) diagramOnlyFiles.add(file);
      this.emitFile({
        type: 'asset',
        fileName: 'diagram-assets.json',
        source: JSON.stringify({ files: [...diagramOnlyFiles].sort() }),
      });
    },
  };
}

/** workbox-build's manifestTransforms: the precache without the diagram-only files. */
export function withoutDiagramFiles(/** @type {{ url: string }[]} */ entries) {
  return { manifest: entries.filter((e) => !diagramOnlyFiles.has(e.url.replace(/^\.\//, ''))), warnings: [] };
}
