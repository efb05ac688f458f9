/** A reading of markdown as plain words, for one-line places (search snippets, the pinned list) that show no formatting. */

import { mathToPlain } from './math-plain.ts';

/** Drops the marks around the words (headings, quotes, list bullets, emphasis, code ticks, table rules); keeps the words. */
export function markdownToPlain(md: string): string {
  return mathToPlain(md)
    .replace(/^\s*(?:```|~~~)[^\n]*$/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[ \t]*\|?[ \t:|-]*-{3,}[ \t:|-]*$/gm, '')
    .replace(/^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/\*\*|__|~~|`/g, '')
    .replace(/^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$/gm, '')
    .replace(/[ \t]*\|[ \t]*/g, ' · ');
}
