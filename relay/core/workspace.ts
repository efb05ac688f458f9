/**
 * The relay's whole part in the workspace, the same for every backend: which chat is the workspace channel, which
 * frames it takes, and the one event a write becomes. The relay stores and fans the changes out; it never merges them.
 */

import { WORKSPACE_CHAT_ID, type ClientFrame, type WorkspaceChange, type WorkspaceEvent } from '../../shared/index.ts';

/** The workspace channel of a connection. One per relay: a relay is single-tenant, so every credential shares it. */
export function workspaceChannel(): string {
  return WORKSPACE_CHAT_ID;
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
    frame.type === 'action' ||
    frame.type === 'answer' ||
    frame.type === 'stop' ||
    frame.type === 'history';
  return turnFrame && frame.chat_id === workspaceChannel()
    ? { code: 'wrong_channel', message: `"${frame.chat_id}" is the workspace channel: it takes workspace_write only` }
    : undefined;
}
