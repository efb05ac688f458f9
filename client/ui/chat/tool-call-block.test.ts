/** A tool block shows that it opens: an arrow in its summary that turns when it is open, on a native disclosure. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import type { ToolCall } from '../../../shared/index.ts';
import './tool-call-block.ts';

const call: ToolCall = {
  call_id: 't1',
  name: 'lookup',
  arguments: '{"q":"x"}',
  output: '',
  status: 'done',
  result: 'ok',
};

describe('<tool-call-block>', () => {
  it('has a visible disclosure arrow that turns when the block opens', async () => {
    const el = document.createElement('tool-call-block');
    el.call = call;
    document.body.append(el);
    await el.updateComplete;
    const details = el.shadowRoot?.querySelector('details');
    const arrow = el.shadowRoot?.querySelector('summary .chevron');
    if (!details || !arrow) throw new Error('no details or no arrow');
    const box = arrow.getBoundingClientRect();
    expect(box.width).to.be.greaterThan(8);
    expect(box.height).to.be.greaterThan(8);
    expect(details.open).to.equal(false);
    const closed = getComputedStyle(arrow).transform;
    el.shadowRoot?.querySelector('summary')?.click();
    expect(details.open).to.equal(true);
    expect(getComputedStyle(arrow).transform).to.not.equal(closed);
    el.remove();
  });

  it('shows the arguments growing as they stream in, marked live until the call ends', async () => {
    const el = document.createElement('tool-call-block');
    el.call = { ...call, arguments: '', status: 'running', result: undefined };
    document.body.append(el);
    await el.updateComplete;
    const args = () => el.shadowRoot?.querySelector('pre');
    expect(el.shadowRoot?.querySelector('details')?.open).to.equal(true);
    el.call = { ...el.call, arguments: '{"q":"par' };
    await el.updateComplete;
    expect(args()?.textContent).to.equal('{"q":"par');
    expect(args()?.classList.contains('live')).to.equal(true);
    el.call = { ...el.call, arguments: '{"q":"parley"}', status: 'done' };
    await el.updateComplete;
    expect(args()?.textContent).to.equal('{\n  "q": "parley"\n}');
    expect(args()?.classList.contains('live')).to.equal(false);
    el.remove();
  });
});
