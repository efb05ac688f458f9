/** What the sidebar shows of one chat: its workspace record (synced) over what this device derived from its messages. */

import { FIELD, fieldValue, isDeleted, type WorkspaceRecord } from '../../shared/index.ts';
import type { Session } from './types.ts';

const str = (r: WorkspaceRecord | undefined, f: string) => {
  const v = fieldValue(r, f);
  return typeof v === 'string' ? v : undefined;
};
const num = (r: WorkspaceRecord | undefined, f: string) => {
  const v = fieldValue(r, f);
  return typeof v === 'number' ? v : undefined;
};

/**
 * The chat's session as shown, or undefined when it is deleted (or there is nothing of it). The user's title wins
 * over the agent's (its `title` event), which wins over the first message's (as the chat's creator wrote it); recency and preview come from whichever is newer, this device's messages or the
 * workspace's note of the latest send (a device that has not followed the chat yet has only that).
 */
export function sessionView(local: Session | undefined, record: WorkspaceRecord | undefined): Session | undefined {
  // A chat is listed once it exists: this device has it, or some device created it (a record holding only a pin or a
  // setting, written for a chat no device has, names no chat).
  if (isDeleted(record) || (!local && num(record, FIELD.created) === undefined)) return undefined;
  const userTitle = str(record, FIELD.title) ?? (local?.titled ? local.title : undefined);
  const agentTitle = str(record, FIELD.agentTitle);
  const autoTitle = str(record, FIELD.autoTitle);
  // The first message's title as the chat's creator wrote it, so every device names it the same; this device's own
  // guess only for a chat the workspace has no title for (one from before it, or from a relay without one).
  // The agent's name for the chat outranks the first message's, never the user's own.
  const title = userTitle ?? agentTitle ?? autoTitle ?? local?.title ?? 'New chat';
  const pinned = fieldValue(record, FIELD.pinned);
  const activeAt = num(record, FIELD.activeAt) ?? 0;
  const localAt = local?.updated_at ?? 0;
  const created = num(record, FIELD.created) ?? local?.created_at ?? activeAt;
  const preview =
    activeAt > localAt
      ? (str(record, FIELD.preview) ?? local?.preview ?? '')
      : local?.preview || str(record, FIELD.preview) || '';
  return {
    id: local?.id ?? record?.chat ?? '',
    title,
    titled: userTitle !== undefined,
    pinned: typeof pinned === 'boolean' ? pinned : (local?.pinned ?? false),
    created_at: created,
    updated_at: Math.max(localAt, activeAt, created),
    preview,
  };
}
