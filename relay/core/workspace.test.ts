import { describe, expect, it } from 'vitest';
import { applyChange, type ChatEvent, type WorkspaceChange, type WorkspaceRecord } from '../../shared/index.ts';
import { compactWorkspace } from './workspace.ts';

/** A small deterministic generator, so a failing log can be found again by its seed. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function stateOf(changes: WorkspaceChange[]): Map<string, WorkspaceRecord> {
  const records = new Map<string, WorkspaceRecord>();
  for (const c of changes) {
    const next = applyChange(records.get(c.chat), c);
    if (next) records.set(c.chat, next);
  }
  return records;
}

/** A log of writes from three devices whose clocks disagree, with repeats of earlier writes (a device resending). */
function randomLog(seed: number): { event: ChatEvent }[] {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const written: WorkspaceChange[] = [];
  const log: { event: ChatEvent }[] = [];
  for (let seq = 1; seq <= 60; seq++) {
    const changes: WorkspaceChange[] = [];
    const count = 1 + Math.floor(next() * 4);
    for (let i = 0; i < count; i++) {
      if (written.length > 0 && next() < 0.15) {
        changes.push(pick(written));
        continue;
      }
      const wall = Math.floor(next() * 50);
      const change: WorkspaceChange = {
        chat: pick(['a', 'b', 'c']),
        field: pick(['title', 'deleted', 'pinned', 'pin/m1']),
        value: pick(['x', 'y', true, false, null, 3]),
        at: `${String(wall).padStart(15, '0')}.${String(Math.floor(next() * 3)).padStart(6, '0')}.${pick(['p', 'q', 'r'])}`,
      };
      written.push(change);
      changes.push(change);
    }
    log.push({ event: { type: 'workspace', chat_id: 'workspace', seq, epoch: 'e', changes } });
  }
  return log;
}

const changesOf = (log: { event: ChatEvent }[]) =>
  log.flatMap((e) => (e.event.type === 'workspace' ? e.event.changes : []));

describe('compactWorkspace', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))(
    'log %i: what is kept merges to the whole log, from scratch and after any cursor',
    (seed) => {
      const log = randomLog(seed);
      const { kept, dropped, live } = compactWorkspace(log);
      const whole = stateOf(changesOf(log));
      expect(stateOf(changesOf(kept))).toEqual(whole);
      expect(changesOf(kept)).toHaveLength(live);
      expect(changesOf(log).length - dropped).toBe(live);
      for (let cursor = 0; cursor <= log.length; cursor++) {
        const seen = changesOf(log.filter((e) => e.event.seq <= cursor));
        const after = changesOf(kept.filter((e) => e.event.seq > cursor));
        expect(stateOf([...seen, ...after]), `a device at seq ${cursor}`).toEqual(whole);
      }
      // Compacting again drops nothing more.
      expect(compactWorkspace(kept).dropped).toBe(0);
    },
  );

  it('keeps a deletion over a restore stamped earlier, and leaves other events as they are', () => {
    const del = { chat: 'a', field: 'deleted', value: true, at: '000000000000002.000000.p' };
    const late = { chat: 'a', field: 'deleted', value: false, at: '000000000000001.000000.q' };
    const message: ChatEvent = {
      type: 'retract',
      message_id: 'm1',
      chat_id: 'workspace',
      seq: 3,
      epoch: 'e',
    };
    const log = [
      { event: { type: 'workspace', chat_id: 'workspace', seq: 1, epoch: 'e', changes: [del] } as ChatEvent },
      { event: { type: 'workspace', chat_id: 'workspace', seq: 2, epoch: 'e', changes: [late] } as ChatEvent },
      { event: message },
    ];
    const { kept } = compactWorkspace(log);
    expect(kept.map((e) => e.event)).toEqual([log[0]?.event, message]);
  });
});
