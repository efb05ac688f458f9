/** Typography for rendered markdown: headings, lists, tables, code blocks, highlight tokens and math. */

import { css } from 'lit';

export const markdownStyles = css`
  /* Math: a wide formula scrolls on its own; until KaTeX has loaded, its TeX shows as code would. */
  .md .math-display {
    display: block;
    overflow-x: auto;
    overflow-y: hidden;
    margin: 0 0 0.75rem;
  }
  .md .math-inline:not([data-tex]),
  .md .math-display:not([data-tex]) {
    font-family: var(--mono, ui-monospace, monospace);
    font-size: 0.9em;
  }
  .md .katex-error {
    color: #cc0000;
    font-family: var(--mono, ui-monospace, monospace);
    text-decoration: underline dotted;
    cursor: help;
  }
  .md {
    overflow-wrap: anywhere;
    line-height: 1.55;
  }
  /* Finished blocks never change while a reply streams: off screen, the browser skips their style, layout and
     paint (each keeps the size it was last laid out at, so the scroll height stays put). */
  .md > .blocks > div {
    content-visibility: auto;
    contain-intrinsic-size: auto 1.5em;
  }
  /* Contained blocks' margins no longer collapse into each other: a heading after a block (0.75rem below it)
     keeps the 1rem gap it had. */
  .md > .blocks > div + div > :is(h1, h2, h3, h4):first-child {
    margin-top: 0.25rem;
  }
  .md > div > :first-child,
  .md > div:first-child > :first-child {
    margin-top: 0;
  }
  .md > div:last-child > :last-child {
    margin-bottom: 0;
  }
  .md p,
  .md ul,
  .md ol,
  .md pre,
  .md blockquote,
  .md .table-scroll,
  .md .code {
    margin: 0 0 0.75rem;
  }
  .md h1,
  .md h2,
  .md h3,
  .md h4 {
    line-height: 1.25;
    margin: 1rem 0 0.5rem;
  }
  .md h1 {
    font-size: 1.35rem;
  }
  .md h2 {
    font-size: 1.2rem;
  }
  .md h3,
  .md h4 {
    font-size: 1.05rem;
  }
  .md ul,
  .md ol {
    padding-left: 1.4rem;
  }
  .md a {
    color: var(--link);
  }
  .md blockquote {
    border-left: 3px solid var(--border-strong);
    padding-left: 0.8rem;
    color: var(--muted);
  }
  .md code {
    font-family: var(--mono);
    font-size: 0.9em;
    background: var(--code-bg);
    padding: 0.1em 0.3em;
    border-radius: 4px;
  }
  .md pre {
    background: var(--code-bg);
    padding: 0.75rem;
    border-radius: var(--radius-sm);
    overflow-x: auto;
    line-height: 1.45;
  }
  .md pre code {
    background: none;
    padding: 0;
    font-size: 0.86rem;
  }
  .md .code {
    border: 1px solid var(--border);
    border-radius: var(--radius-sm);
    overflow: hidden;
  }
  .md .code pre {
    margin: 0;
    border-radius: 0;
  }
  .md .code-bar {
    display: flex;
    justify-content: space-between;
    align-items: center;
    padding: 0.15rem 0.3rem 0.15rem 0.75rem;
    font-size: 0.78rem;
    color: var(--muted);
    background: var(--surface-2);
    border-bottom: 1px solid var(--border);
  }
  .md .copy {
    font-size: 0.78rem;
    min-height: 1.8rem;
    padding: 0.15rem 0.6rem;
  }
  .md .table-scroll {
    overflow-x: auto;
  }
  .md table {
    border-collapse: collapse;
    font-size: 0.92rem;
  }
  .md th,
  .md td {
    border: 1px solid var(--border);
    padding: 0.35rem 0.6rem;
    text-align: left;
  }
  .md th {
    background: var(--surface-2);
  }
  .md img {
    max-width: 100%;
    border-radius: var(--radius-sm);
    cursor: zoom-in;
  }
  .md img:focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  .md hr {
    border: none;
    border-top: 1px solid var(--border);
  }
  .tok-keyword {
    color: var(--tok-keyword);
  }
  .tok-string {
    color: var(--tok-string);
  }
  .tok-number {
    color: var(--tok-number);
  }
  .tok-comment {
    color: var(--tok-comment);
    font-style: italic;
  }
  .plain {
    white-space: pre-wrap;
  }
`;
