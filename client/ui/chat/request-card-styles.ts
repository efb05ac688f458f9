/** Styles the approval card and the question form share: the framed card, its status line, its action row. */

import { css } from 'lit';

export const requestCardStyles = css`
  :host {
    display: block;
    margin: 0.2rem 0 0.7rem;
  }
  .card {
    border: 1px solid var(--accent);
    border-radius: var(--radius-sm);
    background: var(--surface);
    padding: 0.7rem 0.8rem;
    display: grid;
    gap: 0.55rem;
  }
  .card.settled {
    border-color: var(--border);
    background: var(--surface-2);
  }
  h3 {
    margin: 0;
    font-size: 0.95rem;
    display: flex;
    gap: 0.4rem;
    align-items: baseline;
    flex-wrap: wrap;
  }
  .kind {
    font-size: 0.75rem;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--accent-text);
  }
  .muted {
    color: var(--muted);
    font-size: 0.85rem;
  }
  p {
    margin: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.45rem;
  }
  .status {
    font-size: 0.9rem;
    display: flex;
    gap: 0.35rem;
    flex-wrap: wrap;
    align-items: baseline;
  }
  .status strong {
    font-weight: 600;
  }
  .status.denied strong,
  .status.closed strong {
    color: var(--danger);
  }
  .status.allowed strong {
    color: var(--ok);
  }
  textarea,
  input[type='text'],
  input[type='number'],
  select {
    width: 100%;
    border: 1px solid var(--border-strong);
    border-radius: var(--radius-sm);
    background: var(--bg);
    padding: 0.4rem 0.55rem;
    min-height: 2.25rem;
  }
  textarea {
    resize: vertical;
    min-height: 4.5rem;
  }
  [aria-invalid='true'] {
    border-color: var(--danger);
  }
  .problem {
    color: var(--danger);
    font-size: 0.85rem;
  }
  :focus-visible {
    outline: 2px solid var(--focus);
    outline-offset: 2px;
  }
  @media (max-width: 480px) {
    .actions button {
      flex: 1 1 100%;
    }
  }
`;

/** The request's payload: a tool call's arguments, a form's answers. */
export const requestDetailStyles = css`
  code,
  pre {
    font-family: var(--mono);
    font-size: 0.85rem;
  }
  pre {
    margin: 0.35rem 0 0;
    padding: 0.5rem 0.6rem;
    background: var(--code-bg);
    border-radius: var(--radius-sm);
    overflow: auto;
    max-height: 14rem;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  summary {
    cursor: pointer;
  }
  dl {
    margin: 0;
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.2rem 0.8rem;
    font-size: 0.9rem;
  }
  dt {
    color: var(--muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
  }
  legend,
  .label {
    font-weight: 600;
    font-size: 0.9rem;
    padding: 0;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .check {
    display: flex;
    gap: 0.45rem;
    align-items: center;
    min-height: 2rem;
  }
  .check input {
    width: 1.1rem;
    height: 1.1rem;
  }
  .required {
    color: var(--danger);
  }
  .fields {
    display: grid;
    gap: 0.6rem;
  }
  .actions.submit {
    margin-top: 0.6rem;
  }
`;
