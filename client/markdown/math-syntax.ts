/** Finds TeX in markdown (`$…$`, `\(…\)`, `$$…$$`, `\[…\]`) and marks it with a placeholder that carries the source as text. */

import type { MarkedExtension, Tokens } from 'marked';

/** The classes of the placeholders: the sanitizer keeps exactly these, and only on these elements. */
export const MATH_CLASS = { inline: 'math-inline', display: 'math-display' } as const;

/**
 * Inline `$…$` follows pandoc's rule, so prices are not math: non-space right after the opening and
 * right before the closing `$`, and no digit right after the closing one (`$5 and $10`). Code spans win: a
 * formula never holds a backtick, so a price before a code span that holds a `$` stays a price.
 */
export const INLINE = [
  /^\$\$((?:\\[\s\S]|[^\\$])+?)\$\$/, // $$…$$ within a paragraph: display
  /^\\\[([\s\S]+?)\\\]/, // \[…\] within a line: display
  /^\\\(([\s\S]+?)\\\)/, // \(…\)
  /^\$(?![\s$])((?:\\[\s\S]|[^\\$`])*?(?:\\\S|[^\s\\$`]))\$(?!\d)/, // $…$, never across a code span
];
export const BLOCK = [/^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/, /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/];

interface MathToken extends Tokens.Generic {
  type: 'math' | 'mathBlock';
  raw: string;
  tex: string;
  display: boolean;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** The token's type names the extension whose renderer marked calls. */
function token(type: MathToken['type'], raw: string, tex: string, display: boolean): MathToken {
  return { type, raw, tex: tex.trim(), display };
}

/** A block is a `<div>`; display math inside a paragraph stays a `<span>`, which a `<p>` may hold. */
function render(t: Tokens.Generic): string {
  const tex = escapeHtml(typeof t['tex'] === 'string' ? t['tex'] : '');
  const cls = t['display'] === true ? MATH_CLASS.display : MATH_CLASS.inline;
  const tag = t.type === 'mathBlock' ? 'div' : 'span';
  return `<${tag} class="${cls}">${tex}</${tag}>`;
}

/** Marked runs extensions before its own rules, so `\(` is seen before the escape rule turns it into `(`. */
export const mathExtension: MarkedExtension = {
  extensions: [
    {
      name: 'mathBlock',
      level: 'block',
      tokenizer(src) {
        for (const re of BLOCK) {
          const m = re.exec(src);
          if (m) return token('mathBlock', m[0], m[1] ?? '', true);
        }
        return undefined;
      },
      renderer: render,
    },
    {
      name: 'math',
      level: 'inline',
      start(src) {
        const i = src.search(/\$|\\[([]/);
        return i === -1 ? undefined : i;
      },
      tokenizer(src) {
        for (const [i, re] of INLINE.entries()) {
          const m = re.exec(src);
          if (m) return token('math', m[0], m[1] ?? '', i < 2);
        }
        return undefined;
      },
      renderer: render,
    },
  ],
};
