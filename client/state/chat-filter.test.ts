/** The sidebar's filter finds chats by their messages' text, not only by their titles. */

/// <reference types="mocha" />
import { putMessages, putSession } from '../test-support/db-writes.ts';
import { expect } from '@esm-bundle/chai';
import '../ui/sidebar/session-list.ts';
import { ChatFilter } from './chat-filter.ts';
import { ParleyDb } from './db.ts';
import type { Session } from './types.ts';

const session = (id: string, title: string): Session => ({
  id,
  title,
  titled: true,
  pinned: false,
  created_at: 0,
  updated_at: 0,
  preview: '',
});

describe('the sidebar filter', () => {
  it('shows a chat whose message text matches though its title does not', async () => {
    const db = await ParleyDb.open(`parley-filter-${Date.now()}`);
    const sessions = [session('c-fruit', 'Shopping'), session('c-cars', 'Kumquat dealers'), session('c-none', 'Other')];
    for (const s of sessions) await putSession(db, s);
    await putMessages(db, [
      {
        chat_id: 'c-fruit',
        id: 'm1',
        role: 'assistant',
        text: 'Buy **kumquats** at the market',
        created_at: 1,
        state: 'done',
      },
      { chat_id: 'c-none', id: 'm2', role: 'user', text: 'nothing here', created_at: 2, state: 'sent' },
    ]);
    const filter = new ChatFilter(db);

    const el = document.createElement('session-list');
    el.sessions = sessions;
    document.body.append(el);
    await el.updateComplete;
    el.addEventListener('filter-chats', (e) => {
      void filter.match(e.detail.query).then((found) => found && (el.textMatches = found));
    });
    const input = el.shadowRoot?.querySelector('input[type=search]');
    if (!(input instanceof HTMLInputElement)) throw new Error('no filter field');
    input.value = 'kumqu';
    input.dispatchEvent(new Event('input'));
    const titles = () => [...(el.shadowRoot?.querySelectorAll('.title') ?? [])].map((t) => t.textContent);
    for (let i = 0; i < 100 && titles().length !== 2; i++) await new Promise((r) => setTimeout(r, 10));
    // By title and by message; a chat with neither stays hidden.
    expect(titles().sort()).to.deep.equal(['Kumquat dealers', 'Shopping']);
    el.remove();
    db.close();
  });
});
