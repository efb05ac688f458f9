/** The fault-free run: the same messages sent one by one to the same relay from a plain client, replies read whole. */

import { randomUUID } from 'node:crypto';
import { Transcript } from '../../helpers/transcript.ts';
import { converse, TestClient } from '../../helpers/client.ts';

/** Each text's reply exactly as the agent wrote it (the demo agent is deterministic: it depends only on the text). */
export async function faultFreeReplies(wsBase: string, texts: string[]): Promise<Map<string, string>> {
  const client = await TestClient.connect(wsBase, { clientId: 'reference' });
  const chatId = `reference-${randomUUID().slice(0, 8)}`;
  try {
    client.send({ type: 'subscribe', chat_id: chatId });
    await client.waitType('subscribed', (s) => s.chat_id === chatId);
    // The reference is not what is judged, so a busy machine may take its time over a long reply.
    for (const [i, text] of texts.entries()) await converse(client, chatId, text, `ref-${i}`, 60_000);
    const transcript = new Transcript();
    for (const event of client.events(chatId)) transcript.apply(event);
    const replies = transcript.messages.filter((m) => m.role === 'assistant');
    if (replies.length !== texts.length) throw new Error(`reference run got ${replies.length} replies`);
    return new Map(texts.map((text, i) => [text, replies[i]?.text ?? '']));
  } finally {
    client.close();
  }
}
