/**
 * The naive baselines of the math and diagram cases: what an app without incremental rendering does on every
 * token — the whole text through marked and DOMPurify, then every formula typeset again with KaTeX, or every
 * diagram drawn again with mermaid (in the page, as such an app would; each token waits for the previous
 * token's draws, so the baseline is capped and extrapolated like the prose one).
 */

import DOMPurify from 'dompurify';
import katex from 'katex';
import { Marked } from 'marked';
import mermaid from 'mermaid';
import { MATH_CLASS, mathExtension } from '../../client/markdown/math-syntax.ts';

export interface NaiveRich {
  update(text: string): void | Promise<void>;
  finish(): Promise<void>;
}

export function naiveMath(el: HTMLElement): NaiveRich {
  const marked = new Marked({ gfm: true, async: false }, mathExtension);
  return {
    update(text) {
      el.innerHTML = DOMPurify.sanitize(marked.parse(text) as string);
      for (const m of el.querySelectorAll<HTMLElement>(`.${MATH_CLASS.inline}, .${MATH_CLASS.display}`)) {
        const tex = m.textContent ?? '';
        katex.render(tex, m, { throwOnError: false, displayMode: m.classList.contains(MATH_CLASS.display) });
      }
    },
    async finish() {},
  };
}

export function naiveDiagrams(el: HTMLElement): NaiveRich {
  const marked = new Marked({ gfm: true, async: false });
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  let n = 0;
  return {
    async update(text) {
      el.innerHTML = DOMPurify.sanitize(marked.parse(text) as string);
      for (const code of el.querySelectorAll('code.language-mermaid')) {
        const target = code.parentElement;
        try {
          const { svg } = await mermaid.render(`naive-${n++}`, code.textContent ?? '');
          if (target) target.innerHTML = svg;
        } catch {
          // an unfinished diagram does not parse yet
        }
      }
    },
    async finish() {},
  };
}
