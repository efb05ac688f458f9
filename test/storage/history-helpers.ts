/** What the storage suites share: a throwaway data directory, and reading a chat's whole replay. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatEvent, SubscribedFrame } from '../../shared/index.ts';
import { TestClient } from '../helpers/client.ts';

export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-history-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Subscribes (fresh, or resuming) and waits for the replay up to the `head_seq` it announced. */
export async function replayOf(
  base: string,
  chatId: string,
  resume: { epoch?: string; after_seq?: number } = {},
): Promise<{ client: TestClient; sub: SubscribedFrame; events: ChatEvent[] }> {
  const client = await TestClient.connect(base);
  client.send({ type: 'subscribe', chat_id: chatId, ...resume });
  const sub = await client.waitType('subscribed', (s) => s.chat_id === chatId);
  const after = resume.after_seq ?? 0;
  if (sub.head_seq > after)
    await client.waitFor((fs) =>
      fs.some((f) => 'seq' in f && f.type !== 'ack' && f.seq >= sub.head_seq) ? true : undefined,
    );
  return { client, sub, events: client.events(chatId) };
}
