/** Subscribes leave within the relay's frame rate, so a client with many chats is never refused `rate_limited`. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { SubscribePacer } from './subscribe-pacer.ts';

describe('SubscribePacer', () => {
  it('sends 80% of the burst at once, the rest at 90% of the rate, the chats put first ahead', async () => {
    let now = 0;
    const sent: string[] = [];
    const pacer = new SubscribePacer(
      (id) => sent.push(id),
      () => now,
    );
    pacer.reset({ per_second: 100, burst: 10 });
    for (let i = 0; i < 20; i++) pacer.push(`c${i}`);
    expect(sent).to.deep.equal(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    pacer.push('c19', true);
    // 90 frames/s: one every ~11 ms of this clock; the timer fires on the real clock, so move both.
    now += 12;
    await new Promise((r) => setTimeout(r, 30));
    expect(sent.slice(8)).to.deep.equal(['c19']);
    now += 1000;
    await new Promise((r) => setTimeout(r, 30));
    // Refilled at most to the capped burst: the next 8 go, not all 11.
    expect(sent.slice(9)).to.deep.equal(['c8', 'c9', 'c10', 'c11', 'c12', 'c13', 'c14', 'c15']);
    pacer.stop();
  });

  it('forgets what waited when the connection ends', () => {
    const sent: string[] = [];
    const pacer = new SubscribePacer((id) => sent.push(id));
    pacer.reset({ per_second: 1, burst: 1 });
    pacer.push('a');
    pacer.push('b');
    pacer.stop();
    pacer.reset({ per_second: 1, burst: 1 });
    expect(sent).to.deep.equal(['a']);
  });
});
