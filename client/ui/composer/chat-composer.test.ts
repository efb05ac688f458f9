/** The composer's keyboard contract: Enter sends, Shift+Enter breaks the line, Esc stops, drafts are reported. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import type { ChatComposer } from './chat-composer.ts';
import './chat-composer.ts';

async function mount(props: Partial<Pick<ChatComposer, 'running' | 'draft' | 'chatId'>> = {}): Promise<ChatComposer> {
  const el = document.createElement('chat-composer');
  el.chatId = props.chatId ?? 'c-1';
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function textarea(el: ChatComposer): HTMLTextAreaElement {
  const ta = el.shadowRoot?.querySelector('textarea');
  if (!ta) throw new Error('no textarea');
  return ta;
}

function type(el: ChatComposer, text: string): void {
  const ta = textarea(el);
  ta.value = text;
  ta.dispatchEvent(new Event('input'));
}

function key(el: ChatComposer, key: string, shiftKey = false): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true, composed: true });
  textarea(el).dispatchEvent(e);
  return e;
}

afterEach(() => document.querySelectorAll('chat-composer').forEach((e) => e.remove()));

describe('<chat-composer>', () => {
  it('sends on Enter and clears the field', async () => {
    const el = await mount();
    const sent: string[] = [];
    el.addEventListener('send-message', (e) => sent.push(e.detail.text));
    type(el, 'hello');
    key(el, 'Enter');
    await el.updateComplete;
    expect(sent).to.deep.equal(['hello']);
    expect(textarea(el).value).to.equal('');
  });

  it('does not send on Shift+Enter, nor when the text is blank', async () => {
    const el = await mount();
    let sent = 0;
    el.addEventListener('send-message', () => sent++);
    type(el, 'line one');
    expect(key(el, 'Enter', true).defaultPrevented).to.equal(false);
    type(el, '   ');
    key(el, 'Enter');
    expect(sent).to.equal(0);
  });

  it('shows a stop button while a reply runs, and leaves Esc to the page (which stops it from anywhere)', async () => {
    const el = await mount({ running: true });
    let stops = 0;
    el.addEventListener('stop-turn', () => stops++);
    const stop = el.shadowRoot?.querySelector<HTMLButtonElement>('button.stop');
    expect(stop?.getAttribute('aria-label')).to.contain('Stop');
    stop?.click();
    expect(stops).to.equal(1);
    expect(key(el, 'Escape').defaultPrevented).to.equal(false);
  });

  it('reports the draft after typing and restores a chat draft when switching chats', async () => {
    const el = await mount();
    const drafts: { chatId: string; text: string }[] = [];
    el.addEventListener('draft-change', (e) => drafts.push(e.detail));
    type(el, 'half a thought');
    el.chatId = 'c-2';
    el.draft = 'the other chat';
    await el.updateComplete;
    expect(drafts).to.deep.include({ chatId: 'c-1', text: 'half a thought' });
    expect(textarea(el).value).to.equal('the other chat');
  });

  it('uses a 16px font in the field so phones do not zoom', async () => {
    const el = await mount();
    expect(getComputedStyle(textarea(el)).fontSize).to.equal('16px');
  });
});
