/**
 * The workspace (every chat's title, pin, deletion, activity and message pins) as records of fields, and the one
 * merge rule every device applies: per field, the write with the newest hybrid-logical-clock timestamp wins.
 */

import { compareHlc } from './hlc.ts';

/** The chat id of the workspace channel: the relay routes and stores it like a chat and never runs a turn on it. */
export const WORKSPACE_CHAT_ID = 'workspace';

/** A field's value: a JSON scalar, so a record never nests and any field merges on its own. */
export type FieldValue = string | number | boolean | null;

/** One write of one field of one chat's record, stamped by the writer's clock (`shared/hlc.ts`). */
export interface WorkspaceChange {
  /** The chat the record describes. */
  chat: string;
  field: string;
  value: FieldValue;
  /** The writer's HLC timestamp. */
  at: string;
}

export interface FieldState {
  value: FieldValue;
  at: string;
}

/** Everything the workspace knows of one chat: each field with the write that set it. */
export interface WorkspaceRecord {
  chat: string;
  fields: Record<string, FieldState>;
}

/**
 * The session fields. Per-chat settings are more fields of the same record (`setting/<name>`); message pins are
 * `pin/<message id>`. `title` is the user's own; `agent_title` the agent's (its `title` event); `auto_title` the
 * first message's. A chat shows the first of them that is set, in that order, so the user's own name always wins. `deleted` is the tombstone: true hides the chat everywhere until a newer write sets it
 * false (Restore).
 */
export const FIELD = {
  created: 'created',
  title: 'title',
  agentTitle: 'agent_title',
  autoTitle: 'auto_title',
  pinned: 'pinned',
  deleted: 'deleted',
  activeAt: 'active_at',
  preview: 'preview',
} as const;

/** The most characters of an agent's chat title (its `title` event). */
export const AGENT_TITLE_CHARS = 120;

/** A field name: a word, optionally `/` and an id (`pin/<message id>`, `setting/<name>`). */
export const FIELD_PATTERN = /^[a-z_]{1,32}(\/[A-Za-z0-9_.:-]{1,128})?$/;
export const PIN_PREFIX = 'pin/';
export const SETTING_PREFIX = 'setting/';

export const pinField = (messageId: string): string => `${PIN_PREFIX}${messageId}`;
/** A per-chat setting (a model, a system prompt…): one more field of the chat's record, merged like the others. */
export const settingField = (name: string): string => `${SETTING_PREFIX}${name}`;

/** Orders two values written with the same timestamp (only a misbehaving writer does that): any fixed order will do. */
function valueKey(v: FieldValue): string {
  return `${typeof v}:${String(v)}`;
}

/** True when `incoming` replaces `current`: a newer timestamp, or the same one with the greater value. */
export function wins(current: FieldState | undefined, incoming: FieldState): boolean {
  if (!current) return true;
  const order = compareHlc(incoming.at, current.at);
  return order > 0 || (order === 0 && valueKey(incoming.value) > valueKey(current.value));
}

/** The record after one change, or undefined when the change loses (the record stays as it is). */
export function applyChange(record: WorkspaceRecord | undefined, change: WorkspaceChange): WorkspaceRecord | undefined {
  const incoming = { value: change.value, at: change.at };
  if (!wins(record?.fields[change.field], incoming)) return undefined;
  return { chat: change.chat, fields: { ...record?.fields, [change.field]: incoming } };
}

/** Two copies of one chat's record merged: commutative, associative and idempotent, field by field. */
export function mergeRecords(a: WorkspaceRecord, b: WorkspaceRecord): WorkspaceRecord {
  const fields = { ...a.fields };
  for (const [name, state] of Object.entries(b.fields)) if (wins(fields[name], state)) fields[name] = state;
  return { chat: a.chat, fields };
}

/** A record as the changes that rebuild it (for sending what one device holds to others). */
export function recordChanges(record: WorkspaceRecord): WorkspaceChange[] {
  return Object.entries(record.fields).map(([field, s]) => ({ chat: record.chat, field, value: s.value, at: s.at }));
}

/** The newest timestamp in a record (what a clock must move past after loading it). */
export function newestStamp(record: WorkspaceRecord): string {
  let newest = '';
  for (const s of Object.values(record.fields)) if (s.at > newest) newest = s.at;
  return newest;
}

export function fieldValue(record: WorkspaceRecord | undefined, field: string): FieldValue | undefined {
  return record?.fields[field]?.value;
}

export function isDeleted(record: WorkspaceRecord | undefined): boolean {
  return fieldValue(record, FIELD.deleted) === true;
}

/** The ids of the messages pinned in a record. */
export function pinnedMessages(record: WorkspaceRecord | undefined): string[] {
  return Object.entries(record?.fields ?? {})
    .filter(([name, s]) => name.startsWith(PIN_PREFIX) && s.value === true)
    .map(([name]) => name.slice(PIN_PREFIX.length));
}
