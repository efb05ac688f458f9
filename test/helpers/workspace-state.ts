// What a client would hold after a chat's workspace events: the merge the tests compare backends and restarts by.
import type { ChatEvent } from '../../shared/index.ts';
import { applyChange, type WorkspaceChange, type WorkspaceRecord } from '../../shared/workspace.ts';

/** Every change the workspace events carry, in log order. */
export const changesOf = (events: ChatEvent[]): WorkspaceChange[] =>
  events.flatMap((e) => (e.type === 'workspace' ? e.changes : []));

/** The records the changes merge to by the clients' own rule (only those of `chats`, when given). */
export function workspaceState(changes: WorkspaceChange[], chats?: ReadonlySet<string>): Map<string, WorkspaceRecord> {
  const records = new Map<string, WorkspaceRecord>();
  for (const c of changes) {
    if (chats && !chats.has(c.chat)) continue;
    const next = applyChange(records.get(c.chat), c);
    if (next) records.set(c.chat, next);
  }
  return records;
}
