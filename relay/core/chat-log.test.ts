/** The replay buffer: compaction of finished turns, eviction by count and age, and what `recovered` means. */

import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/index.ts';
import { ChatLog } from './chat-log.ts';
import type { ChatHistory, StoredEntry } from './history-store.ts';
import { IdempotencyWindow } from './idempotency-window.ts';

const epoch = 'e1';
function delta(log: ChatLog, turn: string, text: string): ChatEvent {
  return { type: 'delta', chat_id: 'c', epoch, seq: log.nextSeq(), turn_id: turn, message_id: `m-${turn}`, text };
}
function user(log: ChatLog, id: string): ChatEvent {
  return {
    type: 'message',
    chat_id: 'c',
    epoch,
    seq: log.nextSeq(),
    message: { id, role: 'user', text: id, created_at: 0 },
  };
}

describe('ChatLog', () => {
  it('replays events after a seq and compacts a finished turn into one message where it ended', () => {
    const log = new ChatLog({ maxEvents: 100, maxAgeMs: 60_000, maxBytes: 1 << 30 });
    log.append(user(log, 'u1'), 0);
    for (let i = 0; i < 5; i++) log.append(delta(log, 't1', `${i}`), 0);
    log.append(user(log, 'u2'), 0); // sent while the turn ran
    const endSeq = log.nextSeq();
    log.compactTurn(
      't1',
      {
        type: 'message',
        chat_id: 'c',
        epoch,
        seq: endSeq,
        message: { id: 'm-t1', role: 'assistant', text: '01234', created_at: 0 },
      },
      0,
    );
    const all = log.replay(0, 0);
    expect(all.recovered).toBe(true);
    expect(all.events.map((e) => e.seq)).toEqual([1, 7, 8]);
    expect(log.replay(3, 0).events.map((e) => e.seq)).toEqual([7, 8]);
    expect(log.replay(8, 0)).toEqual({ events: [], recovered: true });
    expect(log.findMessage('m-t1')?.text).toBe('01234');
  });

  it('evicts the oldest events past the count limit and reports resumes from before them as not recovered', () => {
    const log = new ChatLog({ maxEvents: 3, maxAgeMs: 60_000, maxBytes: 1 << 30 });
    for (let i = 1; i <= 5; i++) log.append(user(log, `u${i}`), 0);
    expect(log.size).toBe(3);
    expect(log.replay(1, 0).recovered).toBe(false);
    expect(log.replay(1, 0).events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.replay(2, 0).recovered).toBe(true);
    expect(log.replay(0, 0).recovered).toBe(false);
  });

  it('evicts events older than the age limit', () => {
    const log = new ChatLog({ maxEvents: 100, maxAgeMs: 1000, maxBytes: 1 << 30 });
    log.append(user(log, 'old'), 0);
    log.append(user(log, 'new'), 900);
    expect(log.replay(0, 1500)).toMatchObject({ recovered: false, events: [{ seq: 2 }] });
    expect(log.isIdle(2000)).toBe(true);
  });

  it('never claims to recover a seq beyond its head', () => {
    const log = new ChatLog({ maxEvents: 10, maxAgeMs: 1000, maxBytes: 1 << 30 });
    log.append(user(log, 'u'), 0);
    expect(log.replay(5, 0).recovered).toBe(false);
  });
});

describe('IdempotencyWindow', () => {
  const ack = (id: string) => ({
    type: 'ack' as const,
    chat_id: 'c',
    client_msg_id: id,
    message_id: `m-${id}`,
    seq: 1,
  });

  it('remembers acks up to its size and age', () => {
    const w = new IdempotencyWindow(2, 1000);
    w.remember(ack('a'), 0);
    w.remember(ack('b'), 0);
    w.remember(ack('c'), 0);
    expect(w.get('a', 0)).toBeUndefined();
    expect(w.get('b', 0)?.message_id).toBe('m-b');
    expect(w.get('c', 2000)).toBeUndefined();
  });
});

describe('ChatLog with a long running turn', () => {
  it('keeps earlier messages while a turn longer than the count limit streams, then compacts it', () => {
    const log = new ChatLog({ maxEvents: 3, maxAgeMs: 60_000, maxBytes: 1 << 30 });
    log.append(user(log, 'u1'), 0);
    log.append(user(log, 'u2'), 0);
    for (let i = 0; i < 10; i++) log.append(delta(log, 't1', `${i}`), 0);
    expect(log.replay(0, 0).recovered).toBe(true);
    expect(log.findMessage('u1')).toBeDefined();
    const seq = log.nextSeq();
    log.compactTurn(
      't1',
      {
        type: 'message',
        chat_id: 'c',
        epoch,
        seq,
        message: { id: 'm-t1', role: 'assistant', text: 'x', created_at: 0 },
      },
      0,
    );
    expect(log.replay(0, 0).events.map((e) => e.seq)).toEqual([1, 2, seq]);
  });
});

describe('ChatLog with a stored history', () => {
  /** A history that keeps what it is given, as a store would, and counts what is read back from it. */
  function memoryHistory() {
    const stored: StoredEntry[] = [];
    let reads = 0;
    const history: ChatHistory = {
      append: (entry) => void stored.push(entry),
      compact: (turnId, message) => {
        const kept = stored.filter((e) => !('turn_id' in e.event && e.event.turn_id === turnId));
        stored.splice(0, stored.length, ...kept, message);
      },
      revise: () => undefined,
      remember: () => undefined,
      rewrite: (compact) => {
        stored.splice(0, stored.length, ...compact([...stored]));
        return [...stored];
      },
      read: (after, through) => {
        reads++;
        return {
          events: stored.map((e) => e.event).filter((e) => e.seq > after && e.seq <= through),
          evictedThrough: 0,
        };
      },
      close: () => undefined,
    };
    return { history, stored, reads: () => reads };
  }
  const used = (seq: number): ChatEvent => ({
    type: 'action_used',
    chat_id: 'c',
    seq,
    epoch: 'e',
    message_id: 'm',
    action_id: `a${seq}`,
  });

  it('holds only the replay window in memory and reads older events back from the history, recovered', () => {
    const h = memoryHistory();
    const loaded = { head: 0, evictedThrough: 0, entries: [], acks: [] };
    const log = new ChatLog({ maxEvents: 10, maxAgeMs: 60_000, maxBytes: 1 << 30 }, 0, {
      history: h.history,
      loaded,
      now: 0,
    });
    for (let i = 0; i < 100; i++) log.append(used(log.nextSeq()), 0);
    expect(log.size).toBe(10);
    expect(h.stored).toHaveLength(100);
    const all = log.replay(0, 0);
    expect(all.recovered).toBe(true);
    expect(all.events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // A resume inside the window does not touch storage.
    const reads = h.reads();
    expect(log.replay(95, 0).events.map((e) => e.seq)).toEqual([96, 97, 98, 99, 100]);
    expect(h.reads()).toBe(reads);
  });

  it('loses events only to retention, and says so', () => {
    const h = memoryHistory();
    const loaded = { head: 0, evictedThrough: 0, entries: [], acks: [] };
    const limits = { maxEvents: 10, maxAgeMs: 600_000, maxBytes: 1 << 30, retention: { maxAgeMs: 1000, maxBytes: 0 } };
    const log = new ChatLog(limits, 0, { history: h.history, loaded, now: 0 });
    for (let i = 0; i < 5; i++) log.append(used(log.nextSeq()), 0);
    log.append(used(log.nextSeq()), 5000);
    const replay = log.replay(0, 5000);
    expect(replay.recovered).toBe(false);
    expect(replay.events.map((e) => e.seq)).toEqual([6]);
    expect(log.replay(5, 5000).recovered).toBe(true);
  });
});
