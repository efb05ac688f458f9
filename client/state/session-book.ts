/**
 * The session list as every device shares it: the workspace (synced records) over what this device derived of each
 * chat from its messages. Writes here are stamped, stored and queued for the relay; merged changes from the relay or
 * another tab are stored and acted on (a deleted chat leaves this device, a new one is followed).
 */

import {
  FIELD,
  isDeleted,
  PIN_PREFIX,
  settingField,
  WORKSPACE_CHAT_ID,
  type FieldValue,
  type WorkspaceChange,
  type WorkspaceRecord,
} from '../../shared/index.ts';
import type { Change, LocalData } from './local-data.ts';
import { sessionView } from './session-view.ts';
import type { LocalMessage, Session } from './types.ts';
import { Workspace, workspaceEntries, type Changed, type WorkspaceEntry } from './workspace.ts';
import { mathToPlain } from '../markdown/math-plain.ts';

export const TITLE_CHARS = 48;

/** One line of plain-ish text: markdown markers and table pipes are noise in a sidebar. */
export function preview(text: string): string {
  return mathToPlain(text)
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`|]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

export function newSession(id: string, title = 'New chat'): Session {
  const now = Date.now();
  return { id, title, titled: false, pinned: false, created_at: now, updated_at: now, preview: '' };
}

/** Sidebar order: pinned first, then most recently active. */
export function sortSessions(list: Session[]): Session[] {
  return [...list].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updated_at - a.updated_at);
}

/** What the book needs of the store around it. */
export interface BookDeps {
  data: LocalData;
  /** A chat left this device (deleted elsewhere): drop it from memory. */
  forget(chatId: string): void;
  /** A message pin changed elsewhere: show it if the chat is in memory. */
  pin(chatId: string, messageId: string, pinned: boolean): void;
  changed(): void;
}

export class SessionBook {
  readonly workspace = new Workspace();
  /** A workspace write was queued: the sync sends it. */
  onQueued: (entry: WorkspaceEntry) => void = () => {};
  /** The workspace names a chat this device should follow (new from another device, or restored). */
  onFound: (chatId: string) => void = () => {};
  /** The workspace says a chat was deleted elsewhere: stop following it. */
  onDeleted: (chatId: string) => void = () => {};
  private readonly local = new Map<string, Session>();
  private view: Session[] | undefined;

  constructor(private readonly deps: BookDeps) {}

  /** Every chat of the workspace and of this device, deleted ones left out, pinned first then by recency. */
  get sessions(): Session[] {
    if (this.view) return this.view;
    const ids = new Set([...this.local.keys(), ...this.workspace.all().map((r) => r.chat)]);
    ids.delete(WORKSPACE_CHAT_ID);
    const list: Session[] = [];
    for (const id of ids) {
      const shown = sessionView(this.local.get(id), this.workspace.get(id));
      if (shown) list.push(shown);
    }
    this.view = sortSessions(list);
    return this.view;
  }

  /** What this device stored; chats kept from before the workspace are written to it once. */
  async load(sessions: Session[], records: WorkspaceRecord[]): Promise<void> {
    for (const s of sessions) this.local.set(s.id, s);
    this.workspace.load(records);
    const adopted = this.workspace.adopt(sessions);
    if (adopted.length) await this.queue(adopted);
    this.view = undefined;
  }

  /** Chats an import added here, written to the workspace once (as `adopt` does), so every device lists them. */
  async adoptImported(sessions: Session[]): Promise<void> {
    const adopted = this.workspace.adopt(sessions);
    this.view = undefined;
    if (adopted.length) await this.queue(adopted);
  }

  /** This device's own copy of a chat's session (not the merged view). */
  mine(chatId: string): Session | undefined {
    return this.local.get(chatId);
  }

  put(list: Session[]): void {
    for (const s of list) this.local.set(s.id, s);
    this.view = undefined;
  }

  drop(chatId: string): void {
    this.local.delete(chatId);
    this.view = undefined;
  }

  isDeleted(chatId: string): boolean {
    return this.workspace.isDeleted(chatId);
  }

  /** The title a deleted chat had, for the notice its link shows. */
  deletedTitle(chatId: string): string {
    const fields = { ...this.workspace.get(chatId)?.fields, [FIELD.deleted]: { value: false, at: '' } };
    return sessionView(this.local.get(chatId), { chat: chatId, fields })?.title ?? 'This chat';
  }

  /** Stamps and merges a write here; what to commit (with the caller's own write) and the entries to send. */
  prepare(chatId: string, fields: Record<string, FieldValue>): { change: Change; entries: WorkspaceEntry[] } {
    const { changes, changed } = this.workspace.write(chatId, fields);
    this.view = undefined;
    this.deps.changed();
    const entries = workspaceEntries(changes);
    return { change: { workspace: changed.map((c) => c.after), queue: entries }, entries };
  }

  /** Writes fields of a chat's record on this device, with `extra` in the same transaction, and queues them. */
  async write(chatId: string, fields: Record<string, FieldValue>, extra: Change = {}): Promise<void> {
    const { change, entries } = this.prepare(chatId, fields);
    const written = this.deps.data.commit({ ...extra, ...change, announce: true });
    for (const e of entries) this.onQueued(e);
    await written;
  }

  /** Queues changes already merged here (adopted chats, or everything again for a relay that lost it). */
  private async queue(changes: WorkspaceChange[]): Promise<void> {
    const entries = workspaceEntries(changes);
    const written = this.deps.data.commit({ workspace: this.workspace.all(), queue: entries, announce: true });
    for (const e of entries) this.onQueued(e);
    await written;
  }

  /** The relay lost the workspace (it restarted without storage): this device sends all it holds again. */
  republish(): Promise<void> {
    const all = this.workspace.everything();
    return all.length ? this.queue(all) : Promise.resolve();
  }

  /** Changes from the relay: merged, stored, and acted on. */
  receive(changes: WorkspaceChange[]): void {
    const changed = this.workspace.receive(changes);
    if (!changed.length) return;
    this.deps.data.stage({ workspace: changed.map((c) => c.after) });
    this.apply(changed, true);
  }

  /** Records another tab wrote: merged and acted on in memory (that tab stored them and what goes with them). */
  receiveFromTab(records: WorkspaceRecord[]): void {
    this.apply(this.workspace.merge(records), false);
  }

  /**
   * What changes made elsewhere mean here: a deleted chat leaves, a new or restored one is followed, pins move.
   * `store`: also change what is stored (not for another tab's writes: that tab did, and an undo of its delete
   * needs what its own delete took).
   */
  private apply(changed: Changed[], store: boolean): void {
    for (const { before, after } of changed) {
      const id = after.chat;
      if (isDeleted(after)) {
        // A new tombstone (not this device's own coming back): what this device holds of the chat goes.
        if (this.local.has(id) || !isDeleted(before)) {
          this.deps.forget(id);
          if (store) void this.deps.data.deleteSession(id);
        }
        this.onDeleted(id);
        continue;
      }
      if (isDeleted(before) || (!before && !this.local.has(id))) this.onFound(id);
      for (const [field, state] of Object.entries(after.fields)) {
        if (!field.startsWith(PIN_PREFIX) || before?.fields[field]?.at === state.at) continue;
        const messageId = field.slice(PIN_PREFIX.length);
        this.deps.pin(id, messageId, state.value === true);
        if (store) void this.deps.data.setPinned(id, messageId, state.value === true);
      }
    }
    this.view = undefined;
    this.deps.changed();
  }

  /** One field of a chat's workspace record as every device has it (undefined: never set). */
  field(chatId: string, name: string): FieldValue | undefined {
    return this.workspace.get(chatId)?.fields[name]?.value;
  }

  /** A per-chat setting as every device has it (undefined: never set). */
  setting(chatId: string, name: string): FieldValue | undefined {
    return this.workspace.get(chatId)?.fields[settingField(name)]?.value;
  }

  /** Sets a per-chat setting on every device: a field of the chat's record like its title. */
  writeSetting(chatId: string, name: string, value: FieldValue): Promise<void> {
    return this.write(chatId, { [settingField(name)]: value });
  }

  /** What a user's send tells the workspace: the chat's latest activity, and its creation the first time. */
  sendFields(chatId: string, message: LocalMessage): Record<string, FieldValue> {
    const fields: Record<string, FieldValue> = {
      [FIELD.activeAt]: message.created_at,
      [FIELD.preview]: preview(message.text),
    };
    if (this.workspace.get(chatId)?.fields[FIELD.created] === undefined) {
      fields[FIELD.created] = message.created_at;
      if (message.text.trim()) fields[FIELD.autoTitle] = preview(message.text).slice(0, TITLE_CHARS);
    }
    return fields;
  }

  clear(): void {
    this.local.clear();
    this.workspace.clear();
    this.view = undefined;
  }
}
