/** The parser of workspace changes (both directions): shapes checked, meanings left to the clients. */

import { CHAT_ID_PATTERN } from '../limits.ts';
import { HLC_PATTERN } from '../hlc.ts';
import type { Result } from '../errors.ts';
import { FIELD_PATTERN, type FieldValue, type WorkspaceChange } from '../workspace.ts';
import { objectParser, type ItemParser, type Reader } from '../reader.ts';

export const WORKSPACE_LIMITS = {
  /** Changes in one `workspace_write` (a device's first sync sends every chat it holds at once). */
  maxChanges: 2000,
  /** Characters of one string value (titles and previews are far shorter). */
  maxValueChars: 1000,
} as const;

function readValue(r: Reader, path: string): FieldValue {
  const v = r.raw('value');
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.length <= WORKSPACE_LIMITS.maxValueChars) return v;
  r.fail(
    'value',
    `must be null, a boolean, a finite number or a string of at most ${WORKSPACE_LIMITS.maxValueChars} characters (${path})`,
  );
  return null;
}

export const workspaceChangeParser: ItemParser<WorkspaceChange> = (value, path): Result<WorkspaceChange> =>
  objectParser<WorkspaceChange>((r) => ({
    chat: r.str('chat', { max: 64, pattern: CHAT_ID_PATTERN, code: 'invalid_chat_id' }),
    field: r.str('field', { max: 161, pattern: FIELD_PATTERN }),
    value: readValue(r, path),
    at: r.str('at', { max: 64, pattern: HLC_PATTERN }),
  }))(value, path);

/** The `changes` of a workspace frame: at least one, at most `maxChanges`. */
export function readChanges(r: Reader): WorkspaceChange[] {
  const changes = r.arr('changes', workspaceChangeParser, WORKSPACE_LIMITS.maxChanges);
  if (!r.error && changes.length === 0) r.fail('changes', 'is empty');
  return changes;
}
