/** Styles of <connection-status>: the pill with its coloured dot, and the details panel under it. */

import { css } from 'lit';

export const connectionStyles = css`
  :host {
    position: relative;
  }
  button.pill {
    display: inline-flex;
    align-items: center;
    gap: 0.45rem;
    border-radius: 999px;
    font-size: 0.82rem;
    padding: 0.25rem 0.7rem;
    min-height: 2rem;
    white-space: nowrap;
  }
  .dot {
    width: 0.55rem;
    height: 0.55rem;
    border-radius: 50%;
    background: var(--muted);
  }
  .connected .dot {
    background: var(--ok);
  }
  .connected.away .dot {
    background: var(--warn);
  }
  .connecting .dot {
    background: var(--warn);
  }
  .offline .dot,
  .idle .dot {
    background: var(--danger);
  }
  .pending {
    font-weight: 600;
  }
  .details {
    position: absolute;
    right: 0;
    top: calc(100% + 0.4rem);
    z-index: 25;
    width: min(24rem, calc(100vw - 1rem));
    background: var(--surface);
    color: var(--text);
    border: 1px solid var(--border-strong);
    border-radius: var(--radius);
    box-shadow: var(--shadow);
    padding: 0.8rem 0.9rem;
    font-size: 0.85rem;
    display: grid;
    gap: 0.7rem;
    justify-items: start;
  }
  dl {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: 0.3rem 0.8rem;
    margin: 0;
    width: 100%;
  }
  dt {
    color: var(--muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .mono {
    font-family: var(--mono);
    font-size: 0.8rem;
  }
  .why {
    color: var(--danger);
  }
  @media (max-width: 520px) {
    /* The header's room goes to the chat title; the dot still shows the state and the label is read out. */
    button.pill {
      padding: 0.25rem 0.55rem;
      min-width: 2.25rem;
      justify-content: center;
    }
    .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .details {
      position: fixed;
      right: 0.5rem;
      top: calc(3.3rem + env(safe-area-inset-top));
    }
  }
`;
