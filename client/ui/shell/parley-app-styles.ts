/** Layout of the app shell: a sidebar on wide screens, a drawer on phones; safe-area insets. */

import { css } from 'lit';
import { sharedStyles } from '../common/shared-styles.ts';

export const appStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      height: 100dvh;
      overflow: hidden;
    }
    .boot {
      display: grid;
      place-items: center;
      height: 100%;
      color: var(--muted);
    }
    .layout {
      display: grid;
      grid-template-columns: var(--sidebar-width) minmax(0, 1fr);
      height: 100%;
    }
    aside {
      background: var(--sidebar);
      border-right: 1px solid var(--border);
      display: flex;
      flex-direction: column;
      min-height: 0;
      padding-top: env(safe-area-inset-top);
      padding-left: env(safe-area-inset-left);
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 0.55rem;
      font-weight: 700;
      font-size: 1.1rem;
      padding: 0.9rem 0.9rem 0;
    }
    .brand img {
      border-radius: 7px;
    }
    .brand .close-drawer {
      display: none;
      margin-left: auto;
    }
    session-list {
      flex: 1;
      min-height: 0;
    }
    main {
      display: grid;
      grid-template-rows: auto auto 1fr auto;
      grid-template-columns: minmax(0, 1fr);
      min-width: 0;
      min-height: 0;
      padding-right: env(safe-area-inset-right);
    }
    header {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: calc(0.5rem + env(safe-area-inset-top)) 0.75rem 0.5rem;
      border-bottom: 1px solid var(--border);
      background: var(--bg);
      min-width: 0;
    }
    header h1 {
      flex: 1;
      min-width: 0;
      font-size: 1rem;
      font-weight: 600;
      margin: 0;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    header h1.open {
      white-space: normal;
      overflow-wrap: anywhere;
    }
    button.chat-settings {
      display: inline-flex;
      gap: 0.3rem;
      align-items: center;
      flex: none;
      max-width: 14rem;
      min-height: 2rem;
      padding: 0.15rem 0.6rem;
      border: 1px solid var(--border);
      border-radius: 999px;
      background: var(--surface-2);
      color: var(--muted);
      font-size: 0.8rem;
    }
    button.chat-settings .model {
      min-width: 0;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    button.chat-settings .set {
      flex: none;
      width: 0.45rem;
      height: 0.45rem;
      border-radius: 50%;
      background: var(--accent);
    }
    button.pins {
      display: inline-flex;
      gap: 0.15rem;
      align-items: center;
      width: auto;
      padding: 0 0.4rem;
    }
    .pins .count {
      font-size: 0.8rem;
      font-variant-numeric: tabular-nums;
    }
    pinned-list {
      border-bottom: 1px solid var(--border);
      background: var(--surface-2);
    }
    button.menu {
      display: none;
    }
    .backdrop {
      display: none;
    }
    .problem {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: space-between;
      background: var(--danger-bg);
      color: var(--danger);
      border-bottom: 1px solid var(--danger);
      padding: 0.4rem 0.5rem 0.4rem 1rem;
      font-size: 0.9rem;
    }
    chat-view {
      min-height: 0;
      grid-row: 3;
    }
    chat-composer {
      grid-row: 4;
    }
    @media (max-width: 760px) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
      button.menu,
      .brand .close-drawer {
        display: inline-flex;
      }
      aside {
        position: fixed;
        inset: 0 auto 0 0;
        width: min(85vw, 20rem);
        z-index: 20;
        transform: translateX(-100%);
        visibility: hidden;
        transition:
          transform 0.2s ease,
          visibility 0s 0.2s;
        box-shadow: var(--shadow);
      }
      .drawer-open aside {
        transform: none;
        visibility: visible;
        transition: transform 0.2s ease;
      }
      .drawer-open .backdrop {
        display: block;
        position: fixed;
        inset: 0;
        background: rgb(0 0 0 / 0.4);
        z-index: 10;
      }
      main {
        grid-column: 1;
      }
    }
    @media (max-width: 520px) {
      /* Narrow header: the title may take two lines (all of them after a tap) instead of "A very lo…". */
      header {
        gap: 0.2rem;
        padding-inline: 0.4rem;
      }
      /* The title keeps its room: the chip is its icon and dot (the model is in its label and the dialog). */
      button.chat-settings {
        padding-inline: 0.4rem;
        gap: 0.2rem;
      }
      button.chat-settings .model {
        display: none;
      }
      header h1 {
        font-size: 0.95rem;
        line-height: 1.25;
        white-space: normal;
        overflow-wrap: anywhere;
        display: -webkit-box;
        -webkit-box-orient: vertical;
        -webkit-line-clamp: 2;
        padding-inline: 0.2rem;
      }
      header h1.open {
        display: block;
        -webkit-line-clamp: unset;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      aside,
      .drawer-open aside {
        transition: none;
      }
    }
  `,
];
