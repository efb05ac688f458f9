/** After an import: the store rereads what the file added, and other tabs are told to do the same. */

import type { ChatStore } from '../../state/chat-store.ts';

export async function reloadImported(store: ChatStore, chats: readonly string[]): Promise<void> {
  await store.afterImport(chats);
}
