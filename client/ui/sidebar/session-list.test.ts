/** The sidebar: pinned chats first, filtering by title, and rename/delete that need a deliberate step. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { sortSessions } from '../../state/chat-store.ts';
import type { Session } from '../../state/types.ts';
import type { SessionList } from './session-list.ts';
import './session-list.ts';

const session = (id: string, title: string, updated: number, pinned = false): Session => ({
  id,
  title,
  titled: true,
  pinned,
  created_at: 0,
  updated_at: updated,
  preview: '',
});

async function mount(): Promise<SessionList> {
  const el = document.createElement('session-list');
  el.sessions = sortSessions([session('a', 'Alpha', 3), session('b', 'Beta', 2, true), session('c', 'Gamma', 1)]);
  el.activeId = 'a';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const titles = (el: SessionList) => [...(el.shadowRoot?.querySelectorAll('.title') ?? [])].map((t) => t.textContent);
const button = (el: SessionList, label: string) =>
  el.shadowRoot?.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`) ?? null;

afterEach(() => document.querySelectorAll('session-list').forEach((e) => e.remove()));

describe('<session-list>', () => {
  it('lists pinned chats first, then the most recent', async () => {
    const el = await mount();
    expect(titles(el)).to.deep.equal(['Beta', 'Alpha', 'Gamma']);
    expect(el.shadowRoot?.querySelector('[aria-current="page"] .title')?.textContent).to.equal('Alpha');
    expect(el.shadowRoot?.querySelector('a')?.getAttribute('href')).to.equal('#/c/b');
  });

  it('filters by title, case-insensitively', async () => {
    const el = await mount();
    const input = el.shadowRoot?.querySelector('input[type=search]');
    if (!(input instanceof HTMLInputElement)) throw new Error('no filter');
    input.value = 'gAm';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(titles(el)).to.deep.equal(['Gamma']);
  });

  it('renames through an inline form', async () => {
    const el = await mount();
    const renamed: { id: string; title: string }[] = [];
    el.addEventListener('rename-chat', (e) => renamed.push(e.detail));
    button(el, 'Rename Gamma')?.click();
    await el.updateComplete;
    const input = el.shadowRoot?.querySelector<HTMLInputElement>('form input');
    if (!input) throw new Error('no rename field');
    expect(el.shadowRoot?.activeElement).to.equal(input);
    input.value = 'Delta';
    el.shadowRoot?.querySelector('form')?.requestSubmit();
    expect(renamed).to.deep.equal([{ id: 'c', title: 'Delta' }]);
  });

  it('deletes only after confirmation', async () => {
    const el = await mount();
    const deleted: string[] = [];
    el.addEventListener('delete-chat', (e) => deleted.push(e.detail.id));
    button(el, 'Delete Alpha')?.click();
    await el.updateComplete;
    expect(deleted).to.deep.equal([]);
    const confirm = [...(el.shadowRoot?.querySelectorAll('.confirm button') ?? [])].find(
      (b) => b.textContent === 'Delete',
    );
    if (!(confirm instanceof HTMLButtonElement)) throw new Error('no confirm button');
    confirm.click();
    expect(deleted).to.deep.equal(['a']);
  });

  it('toggles a pin', async () => {
    const el = await mount();
    const pins: boolean[] = [];
    el.addEventListener('pin-chat', (e) => pins.push(e.detail.pinned));
    button(el, 'Pin Alpha')?.click();
    button(el, 'Unpin Beta')?.click();
    expect(pins).to.deep.equal([true, false]);
  });
});
