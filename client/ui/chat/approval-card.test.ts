/** The approval card: decisions by keyboard, a deny reason, and what it shows once settled (answered, expired, stopped). */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import type { ApprovalRequest, RequestState } from '../../../shared/index.ts';
import type { ApprovalCard } from './approval-card.ts';
import './approval-card.ts';

const request: ApprovalRequest = { kind: 'approval', id: 'r1', tool: 'rm', call_id: 'c1', arguments: '{"path":"/x"}' };

async function card(state: Partial<RequestState> = {}): Promise<{ el: ApprovalCard; answers: unknown[] }> {
  const el = document.createElement('approval-card');
  el.request = { ...request, ...state } as ApprovalCard['request'];
  el.messageId = 'm1';
  const answers: unknown[] = [];
  el.addEventListener('answer-request', (e) => answers.push(e.detail));
  document.body.append(el);
  await el.updateComplete;
  return { el, answers };
}

const status = (el: ApprovalCard) => el.shadowRoot?.querySelector('.status')?.textContent?.replace(/\s+/g, ' ').trim();
const buttons = (el: ApprovalCard) => [...(el.shadowRoot?.querySelectorAll('button') ?? [])];

describe('<approval-card>', () => {
  afterEach(() => document.body.replaceChildren());

  it('is a labelled group naming the tool, with its arguments, and three decisions', async () => {
    const { el } = await card();
    const group = el.shadowRoot?.querySelector('[role="group"]');
    const title = el.shadowRoot?.getElementById(group?.getAttribute('aria-labelledby') ?? '');
    expect(title?.textContent).to.contain('rm');
    expect(el.shadowRoot?.querySelector('pre')?.textContent).to.contain('"path": "/x"');
    expect(buttons(el).map((b) => b.textContent?.trim())).to.deep.equal([
      'Allow once',
      'Always allow in this chat',
      'Deny…',
    ]);
  });

  it('waits while the reply asking is still streaming: the decisions are disabled and say why', async () => {
    const { el, answers } = await card();
    el.waiting = true;
    await el.updateComplete;
    expect(buttons(el).every((b) => b.disabled)).to.equal(true);
    expect(el.shadowRoot?.textContent).to.contain('You can answer when the reply ends.');
    buttons(el)[0]?.click();
    expect(answers).to.have.length(0);
    el.waiting = false;
    await el.updateComplete;
    expect(buttons(el).some((b) => b.disabled)).to.equal(false);
  });

  it('allows once or always, and answers once: the buttons go', async () => {
    const { el, answers } = await card();
    buttons(el)[1]?.click();
    await el.updateComplete;
    expect(answers).to.deep.equal([
      { messageId: 'm1', requestId: 'r1', answer: { kind: 'approval', decision: 'allow_always' } },
    ]);
    expect(buttons(el)).to.have.length(0);
    expect(status(el)).to.contain('Always allowed in this chat');
  });

  it('asks why when denying, focuses the reason, and sends it with Enter; Escape goes back', async () => {
    const { el, answers } = await card();
    buttons(el)[2]?.click();
    await el.updateComplete;
    await el.updateComplete;
    const box = el.shadowRoot?.querySelector('textarea');
    if (!box) throw new Error('no reason box');
    // Booleans, not elements: a failing assertion on a DOM node stalls the runner's error serialisation.
    expect(el.shadowRoot?.activeElement === box, 'focus in the reason box').to.equal(true);
    expect(el.shadowRoot?.querySelector(`label[for="${box.id}"]`) !== null).to.equal(true);
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('textarea') === null).to.equal(true);
    buttons(el)[2]?.click();
    await el.updateComplete;
    const again = el.shadowRoot?.querySelector('textarea');
    if (!again) throw new Error('no reason box');
    again.value = '  not here ';
    again.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(answers).to.deep.equal([
      { messageId: 'm1', requestId: 'r1', answer: { kind: 'approval', decision: 'deny', reason: 'not here' } },
    ]);
  });

  it('shows an answer from elsewhere, and from which device', async () => {
    const { el } = await card({
      answer: { kind: 'approval', decision: 'deny', reason: 'no' },
      answered_by: { client_id: 'tab-2', device: 'Firefox on Android' },
      answered_at: Date.now(),
    });
    expect(buttons(el)).to.have.length(0);
    expect(status(el)).to.match(/^Denied: no from Firefox on Android at /);
  });

  it('shows an expired or stopped request closed, with nothing to press', async () => {
    const expired = await card({ expires_at: Date.now() - 1 });
    expect(status(expired.el)).to.contain('Expired');
    expect(buttons(expired.el)).to.have.length(0);
    const stopped = await card({ cancelled: 'stopped' });
    expect(status(stopped.el)).to.contain('Cancelled');
    expect(buttons(stopped.el)).to.have.length(0);
  });

  it('turns expired by itself when its deadline passes', async () => {
    const { el } = await card({ expires_at: Date.now() + 150 });
    expect(buttons(el)).to.have.length(3);
    // Nothing re-renders it but its own deadline timer.
    while (!status(el)?.includes('Expired')) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(buttons(el)).to.have.length(0);
  });
});
