/** Reconnect pacing: full jitter under a growing ceiling, reset only after a connection that lasted. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('draws each delay uniformly below a doubling, capped ceiling', () => {
    const b = new Backoff({ baseMs: 100, capMs: 1000, minUptimeMs: 5000, random: () => 0.999 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).to.deep.equal([99, 199, 399, 799, 999]);
    const low = new Backoff({ baseMs: 100, capMs: 1000, minUptimeMs: 5000, random: () => 0 });
    expect(low.next()).to.equal(0);
  });

  it('starts small again only after a connection stayed up for the minimum uptime', () => {
    const b = new Backoff({ baseMs: 100, capMs: 10_000, minUptimeMs: 5000, random: () => 0.999 });
    b.next();
    b.next();
    b.opened(0);
    b.closed(1000); // flapping: not long enough
    expect(b.next()).to.equal(399);
    b.opened(10_000);
    b.closed(16_000);
    expect(b.next()).to.equal(99);
  });
});
