/** Long chats open fast and the view follows a streaming reply unless the reader scrolled away. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import type { LocalMessage } from '../../state/types.ts';
import type { ChatView } from './chat-view.ts';
import './chat-view.ts';

const message = (i: number, text = `Message number ${i}`): LocalMessage => ({
  chat_id: 'c-1',
  id: `m${i}`,
  role: i % 2 ? 'assistant' : 'user',
  text,
  created_at: i,
  state: i % 2 ? 'done' : 'sent',
});

/** Text as a reader sees it, through shadow roots. */
function deepText(node: Node): string {
  if (node instanceof Text) return node.data;
  const kids = node instanceof Element && node.shadowRoot ? [...node.shadowRoot.childNodes] : [...node.childNodes];
  return kids.map(deepText).join('');
}

const frames = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
};

async function mount(messages: LocalMessage[]): Promise<ChatView> {
  const el = document.createElement('chat-view');
  el.style.height = '400px';
  el.style.display = 'block';
  el.chatId = 'c-1';
  el.messages = messages;
  document.body.append(el);
  await el.updateComplete;
  await frames();
  return el;
}

const scroller = (el: ChatView) => {
  const s = el.shadowRoot?.querySelector('.scroller');
  if (!(s instanceof HTMLElement)) throw new Error('no scroller');
  return s;
};
const jump = (el: ChatView) => el.shadowRoot?.querySelector('button.jump') ?? null;

afterEach(() => document.querySelectorAll('chat-view').forEach((e) => e.remove()));

describe('<chat-view>', () => {
  it('opens a 5,000-message chat at the newest message, rendering only a window of it', async () => {
    const all = Array.from({ length: 5000 }, (_, i) => message(i));
    const started = performance.now();
    const el = await mount(all);
    const rendered = el.shadowRoot?.querySelectorAll('chat-message').length ?? 0;
    expect(rendered).to.be.greaterThan(0).and.at.most(200);
    const s = scroller(el);
    expect(s.scrollHeight - s.scrollTop - s.clientHeight).to.be.lessThan(80);
    const shown = [...(el.shadowRoot?.querySelectorAll('chat-message') ?? [])].map((m) => deepText(m));
    expect(shown[shown.length - 1]).to.contain('Message number 4999');
    expect(shown.join(' ')).not.to.contain('Message number 10 ');
    // Informational only (timing assertions flake); the window is what keeps this small.
    console.log(`opened 5,000 messages in ${Math.round(performance.now() - started)} ms, ${rendered} rendered`);
  });

  it('paints a screenful of the newest messages first, then fills the rest of the window', async () => {
    const el = document.createElement('chat-view');
    el.style.height = '400px';
    el.style.display = 'block';
    el.chatId = 'c-1';
    el.messages = Array.from({ length: 300 }, (_, i) => message(i));
    document.body.append(el);
    await el.updateComplete;
    const first = [...(el.shadowRoot?.querySelectorAll('chat-message') ?? [])];
    expect(first.length).to.be.greaterThan(0).and.at.most(20);
    const newest = first[first.length - 1];
    await newest?.updateComplete;
    await newest?.shadowRoot?.querySelector('markdown-view')?.updateComplete;
    expect(deepText(newest as Node)).to.contain('Message number 299');
    await frames(4);
    await el.updateComplete;
    expect(el.shadowRoot?.querySelectorAll('chat-message').length).to.equal(60);
    const s = scroller(el);
    expect(s.scrollHeight - s.scrollTop - s.clientHeight).to.be.lessThan(80);
  });

  it('loads earlier messages when the reader scrolls to the top, keeping their place', async () => {
    const el = await mount(Array.from({ length: 300 }, (_, i) => message(i)));
    const before = el.shadowRoot?.querySelectorAll('chat-message').length ?? 0;
    scroller(el).scrollTop = 0;
    await frames(6);
    await el.updateComplete;
    const after = el.shadowRoot?.querySelectorAll('chat-message').length ?? 0;
    expect(after).to.be.greaterThan(before);
    expect(scroller(el).scrollTop).to.be.greaterThan(0);
  });

  it('follows new content at the bottom, and offers "jump to latest" once scrolled up', async () => {
    const msgs = Array.from({ length: 40 }, (_, i) => message(i));
    const el = await mount(msgs);
    el.messages = [...msgs, message(40, 'A new reply\n\nwith more lines')];
    await el.updateComplete;
    await frames();
    let s = scroller(el);
    expect(s.scrollHeight - s.scrollTop - s.clientHeight).to.be.lessThan(80);
    expect(jump(el)).to.equal(null);

    s.scrollTop = 0;
    s.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    el.messages = [...el.messages, message(41)];
    await el.updateComplete;
    await frames();
    s = scroller(el);
    expect(s.scrollTop).to.be.lessThan(200);
    const button = jump(el);
    expect(button?.textContent).to.contain('Jump to latest');
    if (button instanceof HTMLButtonElement) button.click();
    await el.updateComplete;
    await frames(4);
    expect(s.scrollHeight - s.scrollTop - s.clientHeight).to.be.lessThan(80);
  });

  it('follows a reply growing in place, as a stream grows it, after layout', async () => {
    const msgs = Array.from({ length: 40 }, (_, i) => message(i));
    const el = await mount([...msgs, message(40, 'The start of a reply')]);
    const s = scroller(el);
    let text = 'The start of a reply';
    for (let i = 0; i < 6; i++) {
      text += `\n\nParagraph ${i} of the reply, streamed in.`;
      el.messages = [...msgs, message(40, text)];
      await el.updateComplete;
      await frames();
    }
    expect(s.scrollHeight - s.scrollTop - s.clientHeight).to.be.lessThan(80);
    expect(jump(el)).to.equal(null);
  });

  it('shows the demo commands in an empty chat', async () => {
    const el = await mount([]);
    const empty = el.shadowRoot?.querySelector('empty-state');
    expect(empty?.shadowRoot?.textContent).to.contain('/reasoning');
  });
});
