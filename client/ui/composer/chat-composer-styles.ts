/** Styles of the composer: field, send/stop buttons, drop target, edit banner. */

import { css } from 'lit';

export const composerStyles = css`
  :host {
    display: block;
    padding: 0.5rem 1rem calc(0.75rem + env(safe-area-inset-bottom));
  }
  form {
    max-width: var(--content-width);
    margin: 0 auto;
    border: 1px solid var(--border-strong);
    border-radius: var(--radius);
    background: var(--surface);
    padding: 0.35rem;
    box-shadow: var(--shadow-sm);
  }
  form:focus-within {
    border-color: var(--accent);
  }
  .row {
    display: flex;
    align-items: flex-end;
    gap: 0.25rem;
  }
  textarea {
    flex: 1;
    resize: none;
    border: none;
    background: transparent;
    font-size: 16px; /* 16px or more: iOS does not zoom into the field */
    line-height: 1.45;
    padding: 0.5rem 0.4rem;
    max-height: 40vh;
    min-height: 2.4rem;
    outline: none;
    border-radius: var(--radius-sm);
  }
  .send,
  .stop {
    border-radius: 999px;
    width: 2.5rem;
    height: 2.5rem;
    padding: 0;
    display: inline-flex;
    align-items: center;
    justify-content: center;
  }
  .stop {
    background: var(--text);
    color: var(--bg);
  }
  form.dragging {
    border-style: dashed;
    border-color: var(--accent);
    background: var(--surface-2);
  }
  .editing {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
    font-size: 0.82rem;
    color: var(--muted);
    padding: 0.15rem 0.4rem 0.35rem;
  }
  .editing button {
    min-height: 1.8rem;
    padding: 0.1rem 0.6rem;
  }
  .hint {
    font-size: 0.75rem;
    color: var(--muted);
    text-align: center;
    margin-top: 0.35rem;
  }
  .error {
    color: var(--danger);
    font-size: 0.82rem;
    padding: 0.2rem 0.4rem;
  }
`;
