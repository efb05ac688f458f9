/**
 * Mermaid's files (about 1 MB) are not precached: the first diagram caches them all, so diagrams work offline
 * from then on and a first visit without diagrams stays small. The list is dist/diagram-assets.json.
 */

/// <reference lib="webworker" />

export const DIAGRAM_CACHE = 'parley-diagrams';

function listOf(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const files: unknown = Reflect.get(data, 'files');
  if (!Array.isArray(files)) return [];
  return files.filter((f): f is string => typeof f === 'string' && /^assets\/[\w.-]+\.(?:js|css)$/.test(f));
}

/** Caches every diagram file not cached yet and drops those of older builds. Failures are retried on the next diagram. */
export async function cacheAllDiagramFiles(scope: string): Promise<void> {
  const response = await fetch(new URL('diagram-assets.json', scope), { cache: 'no-cache' });
  if (!response.ok) return;
  const wanted = new Set(listOf(await response.json()).map((f) => new URL(f, scope).href));
  const cache = await caches.open(DIAGRAM_CACHE);
  const have = new Set((await cache.keys()).map((r) => r.url));
  for (const url of have) if (!wanted.has(url)) await cache.delete(url);
  const missing = [...wanted].filter((url) => !have.has(url));
  // One by one: addAll would throw away everything fetched if one request failed.
  for (const url of missing) {
    const file = await fetch(url).catch(() => undefined);
    if (file?.ok) await cache.put(url, file);
  }
}
