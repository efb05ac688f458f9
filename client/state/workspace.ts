/**
 * This device's copy of the workspace: every chat's record (shared/workspace.ts), the clock that stamps this
 * device's writes, and the merge of everyone else's. It changes records in memory and says what changed; the
 * store writes them (through the data layer) and acts on them.
 */

import {
  applyChange,
  FIELD,
  HlcClock,
  isDeleted,
  mergeRecords,
  newestStamp,
  recordChanges,
  WORKSPACE_CHAT_ID,
  WORKSPACE_LIMITS,
  type FieldValue,
  type WorkspaceChange,
  type WorkspaceRecord,
} from '../../shared/index.ts';
import { newId } from './ids.ts';
import type { OutboxEntry, Session } from './types.ts';

/** A record before and after a change that took (before is undefined for a chat this device did not know). */
export interface Changed {
  before: WorkspaceRecord | undefined;
  after: WorkspaceRecord;
}

export type WorkspaceEntry = Extract<OutboxEntry, { kind: 'workspace' }>;

/** The outbox entries that carry `changes`, each within the relay's limit on changes per write. */
export function workspaceEntries(changes: WorkspaceChange[], now = Date.now()): WorkspaceEntry[] {
  const out: WorkspaceEntry[] = [];
  for (let i = 0; i < changes.length; i += WORKSPACE_LIMITS.maxChanges) {
    out.push({
      kind: 'workspace',
      chat_id: WORKSPACE_CHAT_ID,
      client_msg_id: newId('w'),
      changes: changes.slice(i, i + WORKSPACE_LIMITS.maxChanges),
      created_at: now,
    });
  }
  return out;
}

export class Workspace {
  private readonly records = new Map<string, WorkspaceRecord>();
  private readonly clock: HlcClock;

  /** `node` names this writer in every stamp: one per tab and page load, so two tabs never share a stamp. */
  constructor(
    node = newId('n')
      .replace(/[^A-Za-z0-9_-]/g, '')
      .slice(0, 32),
    now: () => number = Date.now,
  ) {
    this.clock = new HlcClock(node, now);
  }

  /** Takes the records stored on this device (at start); the clock moves past every stamp in them. */
  load(records: WorkspaceRecord[]): void {
    for (const r of records) {
      this.records.set(r.chat, r);
      const newest = newestStamp(r);
      if (newest) this.clock.observe(newest);
    }
  }

  get(chatId: string): WorkspaceRecord | undefined {
    return this.records.get(chatId);
  }

  all(): WorkspaceRecord[] {
    return [...this.records.values()];
  }

  isDeleted(chatId: string): boolean {
    return isDeleted(this.records.get(chatId));
  }

  /** A write on this device: each field stamped now (in order), merged here; the changes to send and what changed. */
  write(chatId: string, fields: Record<string, FieldValue>): { changes: WorkspaceChange[]; changed: Changed[] } {
    const changes = Object.entries(fields).map(([field, value]) => ({
      chat: chatId,
      field,
      value,
      at: this.clock.stamp(),
    }));
    return { changes, changed: this.receive(changes) };
  }

  /** Changes from elsewhere (the relay, another tab): merged field by field; returns the records they changed. */
  receive(changes: WorkspaceChange[]): Changed[] {
    const touched = new Map<string, Changed>();
    for (const change of changes) {
      this.clock.observe(change.at);
      const current = this.records.get(change.chat);
      const next = applyChange(current, change);
      if (!next) continue;
      this.records.set(change.chat, next);
      const seen = touched.get(change.chat);
      touched.set(change.chat, { before: seen ? seen.before : current, after: next });
    }
    return [...touched.values()];
  }

  /** Whole records from another tab: merged like changes. */
  merge(records: WorkspaceRecord[]): Changed[] {
    const out: Changed[] = [];
    for (const r of records) {
      const current = this.records.get(r.chat);
      const next = current ? mergeRecords(current, r) : r;
      if (current && JSON.stringify(next.fields) === JSON.stringify(current.fields)) continue;
      for (const s of Object.values(r.fields)) this.clock.observe(s.at);
      this.records.set(r.chat, next);
      out.push({ before: current, after: next });
    }
    return out;
  }

  /** Everything this device holds, as changes: what it sends when the relay lost the workspace (a restart without storage). */
  everything(): WorkspaceChange[] {
    return this.all().flatMap(recordChanges);
  }

  /**
   * Chats this device kept before the workspace existed (or from a relay without one), written to it once: only
   * what the user chose (a title they gave, a pin), never a default that could undo another device's choice.
   */
  adopt(sessions: Session[]): WorkspaceChange[] {
    const changes: WorkspaceChange[] = [];
    for (const s of sessions) {
      if (this.records.has(s.id)) continue;
      const fields: Record<string, FieldValue> = { [FIELD.created]: s.created_at };
      if (s.titled) fields[FIELD.title] = s.title;
      else if (s.title && s.title !== 'New chat') fields[FIELD.autoTitle] = s.title;
      if (s.pinned) fields[FIELD.pinned] = true;
      if (s.preview) Object.assign(fields, { [FIELD.activeAt]: s.updated_at, [FIELD.preview]: s.preview });
      changes.push(...this.write(s.id, fields).changes);
    }
    return changes;
  }

  clear(): void {
    this.records.clear();
  }
}
