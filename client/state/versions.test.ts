/** Message versions: the branch a chat shows, and where a version stands for the switcher. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { branchOf, versionPlace, type Versioned } from './versions.ts';

let clock = 0;
const msg = (id: string, extra: Partial<Versioned> = {}): Versioned => ({ id, created_at: ++clock, ...extra });
const ids = (list: readonly Versioned[]) => list.map((m) => m.id);

describe('branchOf', () => {
  const u1 = msg('u1');
  const r1 = msg('r1', { reply_to: 'u1' });
  const u2 = msg('u2');
  const r2 = msg('r2', { reply_to: 'u2' });

  it('shows a chat without versions as it is', () => {
    expect(ids(branchOf([u1, r1, u2, r2]))).to.deep.equal(['u1', 'r1', 'u2', 'r2']);
  });

  it('a regenerated reply shows its newest version and drops the line after the old one', () => {
    const r1b = msg('r1b', { version_of: 'r1', reply_to: 'u1' });
    const all = [u1, r1, u2, r2, r1b];
    expect(ids(branchOf(all))).to.deep.equal(['u1', 'r1b']);
    expect(ids(branchOf(all, new Map([['r1', 'r1']])))).to.deep.equal(['u1', 'r1', 'u2', 'r2']);
    expect(versionPlace(all, 'r1b')).to.deep.equal({ group: 'r1', index: 2, count: 2, ids: ['r1', 'r1b'] });
    expect(versionPlace(all, 'u1')).to.equal(undefined);
  });

  it('an edited-and-resent message is a version in the same place, with its own reply', () => {
    const u2b = msg('u2b', { version_of: 'u2' });
    const r2b = msg('r2b', { reply_to: 'u2b' });
    const u3 = msg('u3');
    const all = [u1, r1, u2, r2, u2b, r2b, u3];
    expect(ids(branchOf(all))).to.deep.equal(['u1', 'r1', 'u2b', 'r2b', 'u3']);
    expect(ids(branchOf(all, new Map([['u2', 'u2']])))).to.deep.equal(['u1', 'r1', 'u2', 'r2']);
    // An unknown choice means the newest.
    expect(ids(branchOf(all, new Map([['u2', 'nope']])))).to.deep.equal(['u1', 'r1', 'u2b', 'r2b', 'u3']);
    expect(versionPlace(all, 'u2')?.index).to.equal(1);
  });
});
