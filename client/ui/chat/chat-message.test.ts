/** What a user sees of a message that did not go through, or a reply cut off: the reason, and what they can do. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import type { LocalMessage } from '../../state/types.ts';
import type { ChatMessage } from './chat-message.ts';
import './chat-message.ts';

async function mount(message: LocalMessage): Promise<ChatMessage> {
  const el = document.createElement('chat-message');
  el.message = message;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const base: LocalMessage = { chat_id: 'c', id: 'm1', role: 'user', text: 'hello', created_at: 1, state: 'failed' };

describe('chat-message', () => {
  it('shows why a message was not sent, with "Send again" and "Delete"', async () => {
    const el = await mount({ ...base, error: 'text exceeds the limit of 40 characters' });
    const box = el.shadowRoot?.querySelector('[role="alert"]');
    expect(box?.textContent).to.contain('Not sent: text exceeds the limit of 40 characters');
    const actions: string[] = [];
    el.addEventListener('message-action', (e) => actions.push(e.detail.action));
    const buttons = [...(box?.querySelectorAll('button') ?? [])];
    expect(buttons.map((b) => b.textContent?.trim())).to.deep.equal(['Send again', 'Delete']);
    buttons.forEach((b) => b.click());
    expect(actions).to.deep.equal(['retry', 'delete']);
    el.remove();
  });

  it('marks a queued message as queued, and a reply cut off by a relay restart as cut off', async () => {
    const queued = await mount({ ...base, state: 'pending' });
    expect(queued.shadowRoot?.textContent).to.contain('Queued');
    queued.remove();
    const cut = await mount({
      ...base,
      role: 'assistant',
      state: 'error',
      interrupted: true,
      error: 'The relay restarted during this reply; Parley asked again.',
    });
    expect(cut.shadowRoot?.querySelector('.error-box')?.textContent?.replace(/\s+/g, ' ').trim()).to.equal(
      'Cut off: The relay restarted during this reply; Parley asked again.',
    );
    cut.remove();
  });
});
