/** The status pill tells the truth: connected, or offline with when the next try is and how much is waiting. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import './connection-status.ts';

describe('connection-status', () => {
  it('counts down to the next attempt and shows what is waiting to be sent', async () => {
    const el = document.createElement('connection-status');
    el.state = 'offline';
    el.pending = 2;
    el.retryAt = Date.now() + 4_500;
    document.body.append(el);
    await el.updateComplete;
    const text = () => el.shadowRoot?.querySelector('button')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(text()).to.equal('Offline · retry in 5 s · 2 pending');
    el.state = 'connected';
    el.pending = 0;
    await el.updateComplete;
    expect(text()).to.equal('Connected');
    el.remove();
  });
});
