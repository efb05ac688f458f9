/** Secrets compared in constant time; issued tokens single-use and short-lived. */

import { describe, expect, it } from 'vitest';
import { constantTimeEqual, TokenIssuer } from './auth.ts';

describe('constantTimeEqual', () => {
  it.each([
    ['secret', 'secret', true],
    ['secret', 'secreT', false],
    ['secre', 'secret', false],
    ['secretsecret', 'secret', false],
    ['', 'secret', false],
    ['ü', 'u', false],
  ])('%j vs %j → %s', (a, b, expected) => expect(constantTimeEqual(a, b)).toBe(expected));
});

describe('TokenIssuer', () => {
  it('issues tokens that work once, within their lifetime', () => {
    let now = 1000;
    const issuer = new TokenIssuer(5000, () => now);
    const a = issuer.issue();
    const b = issuer.issue();
    expect(a.expires_in).toBe(5);
    expect(a.token).not.toBe(b.token);
    expect(issuer.take(a.token)).toBe(true);
    expect(issuer.take(a.token)).toBe(false);
    now += 5000;
    expect(issuer.take(b.token)).toBe(false);
    expect(issuer.take('pt_never-issued')).toBe(false);
  });

  it('forgets expired tokens so the map cannot grow without bound', () => {
    let now = 0;
    const issuer = new TokenIssuer(10, () => now);
    for (let i = 0; i < 100; i++) issuer.issue();
    now = 100;
    issuer.issue();
    expect(issuer.size).toBe(1);
  });
});
