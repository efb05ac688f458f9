/** The token endpoint's answer is checked, and every way it can fail reads as a reason a person understands. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { fetchIssuedToken } from './token-source.ts';

const answer =
  (body: string, status = 200): typeof fetch =>
  async () =>
    new Response(body, { status });

describe('fetchIssuedToken', () => {
  it('returns the token from a relay-style answer', async () => {
    expect(await fetchIssuedToken('/t', answer('{"token":"pt_abc","expires_in":300}'))).to.equal('pt_abc');
  });

  it('explains a refusal, a non-JSON answer and a missing token', async () => {
    const reasons: string[] = [];
    for (const f of [answer('no', 403), answer('<html>'), answer('{"tok":"x"}')]) {
      await fetchIssuedToken('/t', f).catch((e: Error) => reasons.push(e.message));
    }
    expect(reasons).to.deep.equal([
      'the token endpoint answered HTTP 403',
      'the token endpoint did not answer with JSON',
      'the token endpoint answered without a "token"',
    ]);
  });
});
