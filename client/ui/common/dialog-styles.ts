/** The frame of a panel dialog (settings, chat settings, shortcuts, export and import): each sets its own width and padding. */

import { css } from 'lit';

export const panelDialogStyles = css`
  dialog {
    border: 1px solid var(--border);
    border-radius: var(--radius);
    background: var(--surface);
    color: var(--text);
    max-height: calc(100dvh - 2rem);
    box-shadow: var(--shadow);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
`;
