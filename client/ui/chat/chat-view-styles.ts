/** Styles of <chat-view>: the scroller, the message list, the typing dots, the flash on a revealed message, Jump to latest. */

import { css } from 'lit';

export const chatViewStyles = css`
  :host {
    display: block;
    position: relative;
    min-height: 0;
  }
  .scroller {
    height: 100%;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .list {
    max-width: var(--content-width);
    margin: 0 auto;
    padding: 1rem 1rem 2rem;
  }
  chat-message {
    content-visibility: auto;
    contain-intrinsic-size: auto 7rem;
  }
  .notice {
    border: 1px solid var(--warn-border);
    background: var(--warn-bg);
    border-radius: var(--radius-sm);
    padding: 0.55rem 0.8rem;
    margin-bottom: 0.8rem;
    font-size: 0.9rem;
  }
  .earlier {
    text-align: center;
    color: var(--muted);
    font-size: 0.85rem;
    padding: 0.5rem;
  }
  .typing {
    display: inline-flex;
    gap: 0.25rem;
    padding: 0.6rem 0;
  }
  .typing span {
    width: 0.45rem;
    height: 0.45rem;
    border-radius: 50%;
    background: var(--muted);
    animation: bounce 1.2s infinite ease-in-out;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.15s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.3s;
  }
  @keyframes bounce {
    0%,
    80%,
    100% {
      opacity: 0.3;
    }
    40% {
      opacity: 1;
    }
  }
  chat-message.flash {
    animation: flash 2s ease-out;
    border-radius: var(--radius-sm);
  }
  @keyframes flash {
    from {
      background: var(--surface-hover);
      box-shadow: 0 0 0 3px var(--accent);
    }
  }
  .jump {
    position: absolute;
    bottom: 1rem;
    left: 50%;
    transform: translateX(-50%);
    border-radius: 999px;
    box-shadow: var(--shadow);
    display: inline-flex;
    gap: 0.3rem;
    align-items: center;
    background: var(--surface);
  }
`;
