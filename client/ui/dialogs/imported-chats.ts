/**
 * After an import: the store rereads what the file added (and other tabs are told to), the new chats are named to
 * the workspace, and the sync follows them so the queued messages reach the relay and every other device.
 */

import type { ChatStore } from '../../state/chat-store.ts';
import type { SyncFront } from '../../state/sync-front.ts';

export async function reloadImported(store: ChatStore, sync: SyncFront, chats: readonly string[]): Promise<void> {
  await store.afterImport(chats);
  sync.shareImported(chats);
}
