/**
 * The relay's whole part in the workspace, the same for every backend: which chat is the workspace channel, which
 * frames it takes, the one event a write becomes, and how its log is compacted. The relay stores and fans the
 * changes out; it merges them only to drop the ones that lost (by the clients' own rule, `shared/workspace.ts`).
 */

import type { Outcome } from './chat-backend.ts';
import {
  parseHlc,
  WORKSPACE_CHAT_ID,
  wins,
  type ChatEvent,
  type ClientFrame,
  type WorkspaceChange,
  type WorkspaceEvent,
} from '../../shared/index.ts';

/** The workspace channel of a connection. One per relay: a relay is single-tenant, so every credential shares it. */
export function workspaceChannel(): string {
  return WORKSPACE_CHAT_ID;
}

/**
 * How far ahead of the relay's clock a change may be stamped. A stamp from a clock far ahead would win its field on
 * every device until their clocks passed it, so such a write is refused instead (`clock_ahead`) and stored nowhere.
 */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/** Why a write is refused for its stamps, as both backends answer it; undefined when every stamp is in bounds. */
export function clockRefusal(changes: readonly WorkspaceChange[], now: number): Outcome | undefined {
  let ahead = 0;
  for (const change of changes) ahead = Math.max(ahead, (parseHlc(change.at)?.wall ?? 0) - now);
  if (ahead <= MAX_CLOCK_AHEAD_MS) return undefined;
  const message =
    `a change is stamped ${Math.round(ahead / 1000)} s ahead of the relay's clock ` +
    `(at most ${MAX_CLOCK_AHEAD_MS / 1000} s): set this device's clock right, then write again`;
  return { ok: false, code: 'clock_ahead', message };
}

/** A workspace write as the backend logs it: once per `clientMsgId`, no turn, acked with the write's own id. */
export interface RecordInput {
  chatId: string;
  clientMsgId: string;
  changes: WorkspaceChange[];
}

/** The event a write becomes, before its backend stamps chat, seq and epoch on it. */
export function workspaceEvent(input: RecordInput): Omit<WorkspaceEvent, 'seq' | 'epoch' | 'chat_id'> {
  return { type: 'workspace', changes: input.changes };
}

/**
 * Why a frame may not go where it names (undefined: it may). Turn frames never reach the workspace channel (the
 * agent never sees it), and workspace writes go nowhere else (no chat's history fills with them).
 */
export function channelRefusal(frame: ClientFrame): { code: 'wrong_channel'; message: string } | undefined {
  if (frame.type === 'workspace_write') {
    return frame.chat_id === workspaceChannel()
      ? undefined
      : { code: 'wrong_channel', message: `workspace writes go to the chat "${workspaceChannel()}" only` };
  }
  const turnFrame =
    frame.type === 'send' ||
    frame.type === 'continue' ||
    frame.type === 'action' ||
    frame.type === 'answer' ||
    frame.type === 'stop' ||
    frame.type === 'history' ||
    frame.type === 'import';
  return turnFrame && frame.chat_id === workspaceChannel()
    ? { code: 'wrong_channel', message: `"${frame.chat_id}" is the workspace channel: it takes workspace_write only` }
    : undefined;
}

/** One logged event of the workspace channel, as a backend holds it (with whatever else the backend keeps). */
export interface LoggedEvent {
  event: ChatEvent;
}

/**
 * The workspace log with every change that lost dropped: per chat and field only the winner stays (by `wins`, the
 * merge every device applies), in its event and at its seq, and an event left with no change goes. Merging what is
 * kept gives every device the state the whole log gives. A device that read up to any seq before still converges:
 * each winner it lacks sits after that seq, since what is kept stays where it was logged (of copies of one write,
 * the last). A tombstone (`deleted`: true) is a field like any other, so it stays until a newer write restores the
 * chat: a deletion never comes back undone. Events that are not workspace writes are kept as they are.
 */
export function compactWorkspace<E extends LoggedEvent>(
  entries: readonly E[],
): { kept: E[]; live: number; dropped: number } {
  const winners = new Map<string, { entry: number; index: number; change: WorkspaceChange }>();
  entries.forEach((entry, i) => {
    if (entry.event.type !== 'workspace') return;
    entry.event.changes.forEach((change, index) => {
      const key = `${change.chat}\u0000${change.field}`;
      const held = winners.get(key)?.change;
      // A later copy of the winning write (same stamp and value) takes its place: it is kept longest.
      if (!held || !wins(change, held)) winners.set(key, { entry: i, index, change });
    });
  });
  /** The positions of the winners, by entry. */
  const keep = new Map<number, Set<number>>();
  for (const { entry, index } of winners.values()) keep.set(entry, (keep.get(entry) ?? new Set()).add(index));
  const kept: E[] = [];
  let dropped = 0;
  entries.forEach((entry, i) => {
    const { event } = entry;
    if (event.type !== 'workspace') return void kept.push(entry);
    const mine = keep.get(i);
    const changes = mine ? event.changes.filter((_, index) => mine.has(index)) : [];
    dropped += event.changes.length - changes.length;
    if (changes.length === event.changes.length) kept.push(entry);
    else if (changes.length > 0) kept.push({ ...entry, event: { ...event, changes } });
  });
  return { kept, live: winners.size, dropped };
}

/** Changes written since the last compaction before one is worth it (and they must outnumber the live ones). */
export const COMPACT_AFTER_CHANGES = 1000;

/** When a backend compacts its workspace log: after enough writes since the last time, counted per relay. */
export class CompactionSchedule {
  private written = 0;
  private live = 0;

  /** Counts a write's changes; true when the log should be compacted now. */
  wrote(changes: number): boolean {
    this.written += changes;
    return this.written >= Math.max(COMPACT_AFTER_CHANGES, this.live);
  }

  /** The log was compacted (or found not worth it) and now holds `live` changes. */
  compacted(live: number): void {
    this.written = 0;
    this.live = live;
  }
}
