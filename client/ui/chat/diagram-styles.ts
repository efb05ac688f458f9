/** The look of a mermaid diagram in markdown (client/markdown/diagram-block.ts builds it): image, status, error, toggle. */

import { css } from 'lit';

export const diagramStyles = css`
  .md figure.diagram {
    margin: 0.75rem 0;
  }
  .md .diagram .code-bar {
    gap: 0.3rem;
  }
  .md .diagram .code-bar > span {
    margin-right: auto;
  }
  .md .diagram-view {
    padding: 0.75rem;
    overflow-x: auto;
    text-align: center;
    background: var(--surface);
  }
  /* Width and height come from the SVG's own size; a wide diagram shrinks to the column and keeps its shape. */
  .md .diagram-view img {
    max-width: 100%;
    height: auto;
    border-radius: 0;
  }
  .md .diagram-status {
    margin: 0;
    padding: 0.45rem 0.75rem;
    font-size: 0.85rem;
    color: var(--muted);
    border-bottom: 1px solid var(--border);
  }
  .md .diagram-error {
    color: var(--danger);
    background: var(--danger-bg);
    font-family: var(--mono, ui-monospace, monospace);
    font-size: 0.8rem;
    white-space: pre-wrap;
  }
`;
