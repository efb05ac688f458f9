/** Styles of the sessions sidebar: list items, their tools, inline rename and delete confirmation. */

import { css } from 'lit';

export const sessionListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
  }
  .top {
    display: grid;
    gap: 0.5rem;
    padding: 0.75rem;
  }
  .new {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    font-weight: 600;
  }
  input {
    width: 100%;
    font-size: 16px;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--border);
    border-radius: var(--radius-sm);
    background: var(--bg);
  }
  nav {
    overflow-y: auto;
    flex: 1;
    padding: 0 0.5rem 1rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    position: relative;
    border-radius: var(--radius-sm);
    margin-bottom: 2px;
  }
  li:hover,
  li:focus-within {
    background: var(--surface-hover);
  }
  li.active {
    background: var(--accent-soft);
  }
  a {
    display: block;
    padding: 0.5rem 5.2rem 0.5rem 0.65rem;
    color: inherit;
    text-decoration: none;
    border-radius: var(--radius-sm);
  }
  .title {
    display: block;
    font-weight: 500;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .preview {
    display: block;
    font-size: 0.8rem;
    color: var(--muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .tools {
    position: absolute;
    right: 0.25rem;
    top: 50%;
    transform: translateY(-50%);
    display: flex;
    opacity: 0;
  }
  li:hover .tools,
  li:focus-within .tools,
  li.active .tools {
    opacity: 1;
  }
  @media (hover: none) {
    .tools {
      opacity: 1;
    }
  }
  .tools button {
    min-height: 2rem;
    min-width: 1.75rem;
    padding: 0.2rem;
    color: var(--muted);
  }
  .tools button[aria-pressed='true'] {
    color: var(--accent-text);
  }
  .confirm,
  form {
    display: flex;
    gap: 0.35rem;
    align-items: center;
    padding: 0.4rem 0.5rem;
    flex-wrap: wrap;
    font-size: 0.9rem;
  }
  .empty {
    color: var(--muted);
    padding: 1rem;
    font-size: 0.9rem;
  }
  h2 {
    font-size: 0.72rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--muted);
    margin: 0.8rem 0.6rem 0.3rem;
  }
`;
