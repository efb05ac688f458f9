/** Reply actions: "Copy as Markdown" copies the source ("Copy text" the words); "Continue" on a stopped reply. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import type { LocalMessage } from '../../state/types.ts';
import type { ChatMessage } from './chat-message.ts';
import './chat-message.ts';

const source = '# Plan\n\n- **one** step\n- `two`\n\n```js\nlet x = 1;\n```\n';
const reply: LocalMessage = { chat_id: 'c', id: 'r1', role: 'assistant', text: source, created_at: 1, state: 'done' };

describe('copy as Markdown', () => {
  const clipboard = navigator.clipboard;
  let copied: string[] = [];
  let notices: string[] = [];

  beforeEach(() => {
    copied = [];
    notices = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (t: string) => (copied.push(t), Promise.resolve()) },
    });
  });
  afterEach(() => Object.defineProperty(navigator, 'clipboard', { configurable: true, value: clipboard }));

  async function mount(message: LocalMessage): Promise<ChatMessage> {
    const el = document.createElement('chat-message');
    el.message = message;
    el.addEventListener('notify', (e) => notices.push(e.detail.text));
    document.body.append(el);
    await el.updateComplete;
    return el;
  }

  const button = (el: ChatMessage) =>
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Copy as Markdown"]') ?? null;

  it('copies the markdown source of a finished reply, with a notice, from the keyboard too', async () => {
    const el = await mount(reply);
    const b = button(el);
    expect(b, 'a Copy as Markdown button').to.not.equal(null);
    b?.focus();
    expect(el.shadowRoot?.activeElement).to.equal(b);
    b?.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(copied).to.deep.equal([source]);
    expect(notices).to.deep.equal(['Copied as Markdown.']);
    el.remove();
  });

  it('copies a stopped reply as written so far, and offers nothing while a reply streams', async () => {
    const stopped = await mount({ ...reply, state: 'stopped', text: 'Half **a** thought' });
    button(stopped)?.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(copied).to.deep.equal(['Half **a** thought']);
    stopped.remove();
    const streaming = await mount({ ...reply, state: 'streaming' });
    expect(button(streaming)).to.equal(null);
    streaming.remove();
  });

  it('"Copy text" copies the rendered words of a reply, without markdown marks', async () => {
    const el = await mount({ ...reply, text: 'Some **bold** and `code`' });
    const md = () => el.shadowRoot?.querySelector('markdown-view')?.shadowRoot?.querySelector('strong');
    for (let i = 0; i < 100 && !md(); i++) await new Promise((r) => setTimeout(r, 50));
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Copy text"]')?.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(copied).to.deep.equal(['Some bold and code']);
    el.remove();
  });
});

describe('continue', () => {
  async function mount(message: LocalMessage, newest = true): Promise<ChatMessage> {
    const el = document.createElement('chat-message');
    el.message = message;
    el.regenerable = newest;
    document.body.append(el);
    await el.updateComplete;
    return el;
  }
  const continueButton = (el: ChatMessage) =>
    [...(el.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === 'Continue');

  it('offers Continue on the newest reply when it stopped or failed (a cut-off one too), and on nothing else', async () => {
    for (const [state, offered] of [
      ['stopped', true],
      ['error', true],
      ['done', false],
      ['streaming', false],
    ] as const) {
      const el = await mount({ ...reply, state, error: state === 'error' ? 'cut off' : undefined });
      expect(Boolean(continueButton(el)), state).to.equal(offered);
      el.remove();
    }
    // A stopped reply with a newer one after it (its continuation) is not continued again.
    const older = await mount({ ...reply, state: 'stopped' }, false);
    expect(continueButton(older)).to.equal(undefined);
    older.remove();
    const user = await mount({ ...reply, role: 'user', state: 'failed' });
    expect(continueButton(user)).to.equal(undefined);
    user.remove();
  });

  it('fires a continue action for the reply', async () => {
    const el = await mount({ ...reply, state: 'stopped' });
    const actions: string[] = [];
    el.addEventListener('message-action', (e) => actions.push(`${e.detail.action}:${e.detail.id}`));
    continueButton(el)?.click();
    expect(actions).to.deep.equal(['continue:r1']);
    el.remove();
  });
});
