/** The first visit's JavaScript stays within budget: entry chunk plus its static imports, gzipped (bench/bundle). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUDGET_GZIP, bundleReport } from '../bench/bundle/initial-js.ts';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** The files only the diagram frame uses, as the build listed them (scripts/diagram-chunks.mjs). */
function diagramAssets(): string[] {
  const list: unknown = JSON.parse(readFileSync(`${DIST}/diagram-assets.json`, 'utf8'));
  const files: unknown = typeof list === 'object' && list !== null ? Reflect.get(list, 'files') : undefined;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}

describe('bundle budget', () => {
  it('keeps the initial JavaScript of dist/ within its gzip budget, the relay side and the renderers lazy', () => {
    const report = bundleReport(DIST);
    const files = report.initial.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ');
    console.log(
      `initial JS: ${(report.initialGzip / 1024).toFixed(1)} KB gzip of ${(BUDGET_GZIP / 1024).toFixed(0)} KB (${files}); ` +
        `lazy chunks: ${(report.lazyGzip / 1024).toFixed(1)} KB gzip`,
    );
    expect(report.initial.length).toBeGreaterThan(0);
    expect(report.initial.some((f) => /^assets\/index-[\w-]+\.js$/.test(f.file))).toBe(true);
    // The markdown renderer (marked + DOMPurify) is not needed for first paint: it must stay a lazy chunk.
    expect(report.lazy.some((f) => /^assets\/render-[\w-]+\.js$/.test(f.file))).toBe(true);
    // The relay side (connection, outbox sender, frame parsers) loads after the first paint (issue 18), found by its code.
    const codeIn = (file: string, text: string) => readFileSync(join(DIST, file), 'utf8').includes(text);
    for (const text of ['relay stopped answering', 'per_second']) {
      expect(report.lazy.some((f) => codeIn(f.file, text))).toBe(true);
      expect(report.initial.filter((f) => codeIn(f.file, text))).toEqual([]);
    }
    // So is KaTeX (issue 17): only a message with math loads it.
    expect(report.lazy.some((f) => /^assets\/math-[\w-]+\.js$/.test(f.file))).toBe(true);
    // (by its code, not a file name: a small helper both sides share may be split into a chunk named math-syntax).
    const katexIn = (file: string) => readFileSync(join(DIST, file), 'utf8').includes('KaTeX parse error');
    expect(report.lazy.some((f) => katexIn(f.file))).toBe(true);
    expect(report.initial.filter((f) => katexIn(f.file))).toEqual([]);
    // And mermaid (issue 17): only the diagram frame loads it, on the first diagram; none of its files is initial.
    const diagramFiles = diagramAssets();
    expect(diagramFiles.some((f) => /^assets\/diagram-frame-[\w-]+\.js$/.test(f))).toBe(true);
    expect(diagramFiles.some((f) => /^assets\/flowDiagram-/.test(f))).toBe(true);
    expect(report.initial.filter((f) => diagramFiles.includes(f.file))).toEqual([]);
    // The other way round, the diagram frame (a page of its own) loads none of the app's first load but Vite's helper.
    const frame = bundleReport(DIST, 'diagram-frame.html');
    const shared = frame.initial.filter((f) => report.initial.some((i) => i.file === f.file));
    expect(shared.map((f) => f.file).filter((f) => !/^assets\/preload-helper-[\w-]+\.js$/.test(f))).toEqual([]);
    expect(report.initialGzip).toBeLessThanOrEqual(BUDGET_GZIP);
  });
});
