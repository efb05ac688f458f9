/** Property tests of the workspace merge and its clock: every device that sees the same writes, in any order, holds the same workspace. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HlcClock, parseHlc, receive, tick, type Hlc } from './hlc.ts';
import {
  applyChange,
  FIELD,
  isDeleted,
  mergeRecords,
  type FieldValue,
  type WorkspaceChange,
  type WorkspaceRecord,
} from './workspace.ts';

const hlc = fc.record({
  wall: fc.integer({ min: 0, max: 10 ** 13 }),
  counter: fc.integer({ min: 0, max: 999_999 }),
  node: fc.constantFrom('a', 'b', 'c', 'node-1'),
});
// Few walls and counters, so writes often share a millisecond (and sometimes a whole stamp).
const stamp = fc
  .record({
    wall: fc.integer({ min: 1, max: 4 }),
    counter: fc.integer({ min: 0, max: 2 }),
    node: fc.constantFrom('a', 'b'),
  })
  .map(formatHlc);
const value: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.boolean(),
  fc.constantFrom('x', 'y', ''),
  fc.integer(),
  fc.constant(null),
);
const change: fc.Arbitrary<WorkspaceChange> = fc.record({
  chat: fc.constant('c1'),
  field: fc.constantFrom(FIELD.title, FIELD.pinned, FIELD.deleted, 'pin/m1'),
  value,
  at: stamp,
});
const record: fc.Arbitrary<WorkspaceRecord> = fc.array(change, { maxLength: 8 }).map(fold);

function fold(changes: WorkspaceChange[], start?: WorkspaceRecord): WorkspaceRecord {
  let r = start ?? { chat: 'c1', fields: {} };
  for (const c of changes) r = applyChange(r, c) ?? r;
  return r;
}

const tuple = (h: Hlc) => [h.wall, h.counter, h.node] as const;
function compareTuples(a: Hlc, b: Hlc): number {
  const [x, y] = [tuple(a), tuple(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}

describe('hybrid logical clock', () => {
  it('orders its wire form as (wall, counter, node), and parses what it formats', () => {
    fc.assert(
      fc.property(hlc, hlc, (a, b) => {
        expect(Math.sign(compareHlc(formatHlc(a), formatHlc(b)))).toBe(Math.sign(compareTuples(a, b)));
        expect(parseHlc(formatHlc(a))).toEqual(a);
      }),
    );
  });

  it('never runs backwards: a tick is newer than the last stamp, whatever the wall clock says', () => {
    fc.assert(
      fc.property(hlc, fc.integer({ min: 0, max: 10 ** 13 }), (last, now) => {
        expect(compareHlc(formatHlc(tick(last, now)), formatHlc(last))).toBeGreaterThan(0);
      }),
    );
  });

  it('moves past what it receives: the next stamp is newer than both clocks', () => {
    fc.assert(
      fc.property(hlc, hlc, fc.integer({ min: 0, max: 10 ** 13 }), (last, remote, now) => {
        const next = receive(last, remote, now);
        expect(compareTuples(next, last)).toBeGreaterThan(0);
        // Newer than the remote stamp whatever the nodes' names: by wall time or by counter.
        expect(compareTuples({ ...next, node: '' }, { ...remote, node: '' })).toBeGreaterThan(0);
      }),
    );
  });

  it('stamps after an observed stamp from a device whose clock runs ahead', () => {
    const behind = new HlcClock('slow', () => 1_000);
    const ahead = new HlcClock('fast', () => 9_000_000);
    const theirs = ahead.stamp();
    behind.observe(theirs);
    expect(compareHlc(behind.stamp(), theirs)).toBeGreaterThan(0);
    behind.observe('not a stamp');
    expect(parseHlc(behind.stamp())?.node).toBe('slow');
  });
});

describe('workspace merge', () => {
  it('is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(record, record, record, (a, b, c) => {
        expect(mergeRecords(a, b)).toEqual(mergeRecords(b, a));
        expect(mergeRecords(mergeRecords(a, b), c)).toEqual(mergeRecords(a, mergeRecords(b, c)));
        expect(mergeRecords(a, a)).toEqual(a);
      }),
    );
  });

  it('converges: devices applying the same changes in any order, with repeats, hold the same record', () => {
    const scenario = fc.array(change, { maxLength: 20 }).chain((changes) =>
      fc.tuple(
        fc.constant(changes),
        // Each device: every change in some order, some of them twice (a resend, a replay overlap).
        fc.array(fc.tuple(fc.shuffledSubarray(changes, { minLength: changes.length }), fc.subarray(changes)), {
          minLength: 2,
          maxLength: 4,
        }),
      ),
    );
    fc.assert(
      fc.property(scenario, ([changes, devices]) => {
        const expected = fold(changes);
        for (const [order, repeats] of devices) expect(fold([...order, ...repeats])).toEqual(expected);
      }),
    );
  });

  it('converges by exchanging whole records too (a device catching up from another)', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), fc.array(change, { maxLength: 12 }), (mine, theirs) => {
        const a = fold(mine);
        const b = fold(theirs);
        expect(mergeRecords(a, b)).toEqual(fold([...theirs, ...mine]));
      }),
    );
  });

  it('keeps a deleted chat deleted through any older or unrelated write; only a newer deleted=false restores it', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), (others) => {
        const tombstone: WorkspaceChange = {
          chat: 'c1',
          field: FIELD.deleted,
          value: true,
          at: formatHlc({ wall: 3, counter: 1, node: 'b' }),
        };
        const notRestoring = others.filter((c) => c.field !== FIELD.deleted || compareHlc(c.at, tombstone.at) < 0);
        expect(isDeleted(fold([tombstone, ...notRestoring]))).toBe(true);
        expect(isDeleted(fold([...notRestoring, tombstone]))).toBe(true);
        const restore = { ...tombstone, value: false, at: formatHlc({ wall: 5, counter: 0, node: 'a' }) };
        expect(isDeleted(fold([restore, ...notRestoring, tombstone]))).toBe(false);
      }),
    );
  });
});
