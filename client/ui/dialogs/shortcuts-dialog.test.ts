/** The `?` dialog lists exactly the shortcut table, with this device's key names, and closes on Esc with focus back. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { APP_SHORTCUTS, VIEWER_SHORTCUTS, isApple } from '../controllers/shortcuts.ts';
import type { ShortcutsDialog } from './shortcuts-dialog.ts';
import './shortcuts-dialog.ts';

describe('<shortcuts-dialog>', () => {
  it('shows one row per shortcut of the table, with its keys and label', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const el: ShortcutsDialog = document.createElement('shortcuts-dialog');
    document.body.append(el);
    await el.open();
    expect(el.isOpen).to.equal(true);
    const rows = [...(el.shadowRoot?.querySelectorAll('tr') ?? [])];
    expect(rows.map((r) => r.dataset['shortcut'])).to.deep.equal(
      [...APP_SHORTCUTS, ...VIEWER_SHORTCUTS].map((s) => s.id),
    );
    const row = (id: string) => rows.find((r) => r.dataset['shortcut'] === id);
    const mod = isApple() ? '⌘' : 'Ctrl';
    expect(row('search')?.querySelector('th')?.textContent?.replace(/\s+/g, ' ').trim()).to.equal(`${mod} + K`);
    expect(row('help')?.querySelector('td')?.textContent).to.equal('Show keyboard shortcuts');
    expect(row('next-chat')?.querySelectorAll('kbd').length).to.equal(2);
    await sendKeys({ press: 'Escape' });
    await new Promise((r) => setTimeout(r, 0));
    expect(el.isOpen).to.equal(false);
    expect(document.activeElement).to.equal(opener);
    el.remove();
    opener.remove();
  });
});
