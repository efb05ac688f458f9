/** Message versions: the branch a chat shows, and where a version stands for the switcher. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { branchOf, choicesToShow, versionPlace, versionPlaces, type Versioned } from './versions.ts';

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

  it('two questions sent before either reply, and a continued reply, show every message: none is a version', () => {
    const q1 = msg('q1');
    const q2 = msg('q2', { reply_to: 'q1' });
    const a1 = msg('a1', { reply_to: 'q1' });
    const a2 = msg('a2', { reply_to: 'q2' });
    const a2more = msg('a2more', { reply_to: 'q2' });
    const all = [q1, q2, a1, a2, a2more];
    expect(ids(branchOf(all))).to.deep.equal(['q1', 'q2', 'a1', 'a2', 'a2more']);
    // The same once a version exists elsewhere in the chat.
    const a2b = msg('a2b', { reply_to: 'q2', version_of: 'a2more' });
    expect(ids(branchOf([...all, a2b]))).to.deep.equal(['q1', 'q2', 'a1', 'a2', 'a2b']);
  });

  it('by default shows the branch last written to, the same from the same log; a choice overrides it', () => {
    const r1b = msg('r1b', { version_of: 'r1', reply_to: 'u1' });
    // The reader went back to r1 and went on from there: u3 names what it follows.
    const u3 = msg('u3', { reply_to: 'r1' });
    const r3 = msg('r3', { reply_to: 'u3' });
    const all = [u1, r1, r1b, u3, r3];
    expect(ids(branchOf(all))).to.deep.equal(['u1', 'r1', 'u3', 'r3']);
    expect(ids(branchOf(all, new Map([['r1', 'r1b']])))).to.deep.equal(['u1', 'r1b']);
    const places = versionPlaces(all);
    expect(places.get('r1')).to.deep.include({ index: 1, count: 2 });
    expect(places.has('u3')).to.equal(false);
  });

  it('a version whose first was deleted, or a cycle of names, never hides the chat or loops', () => {
    const lone = msg('lone', { version_of: 'gone', reply_to: 'u1' });
    expect(ids(branchOf([u1, lone]))).to.deep.equal(['u1', 'lone']);
    const a = msg('a', { reply_to: 'b' });
    const b = msg('b', { reply_to: 'a', version_of: 'a' });
    expect(ids(branchOf([a, b])).length).to.be.greaterThan(0);
  });

  it('a jump to a message on a version not shown chooses every version on its line', () => {
    const r1b = msg('r1b', { version_of: 'r1', reply_to: 'u1' });
    const u3 = msg('u3', { reply_to: 'r1' });
    const r3 = msg('r3', { reply_to: 'u3' });
    const u1b = msg('u1b', { version_of: 'u1' });
    const r1c = msg('r1c', { reply_to: 'u1b' });
    const all = [u1, r1, r1b, u3, r3, u1b, r1c];
    expect(ids(branchOf(all))).to.deep.equal(['u1b', 'r1c']);
    const choices = choicesToShow(all, 'r3');
    expect(ids(branchOf(all, choices))).to.deep.equal(['u1', 'r1', 'u3', 'r3']);
    expect(choicesToShow([u1, r1], 'r1').size).to.equal(0);
  });
});
