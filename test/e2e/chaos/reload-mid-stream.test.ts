/** Chaos 5: the page reloads while a reply streams; after the reload the same reply carries on to its end. */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastReply, midStream, openChat, replyDone, send } from './app-page.ts';
import { newChatId, startChaos, type Chaos } from './fixture.ts';
import { faultFreeReplies } from './reference.ts';
import { judge } from './verdict.ts';

let chaos: Chaos;
beforeAll(async () => {
  chaos = await startChaos();
});
afterAll(async () => {
  await chaos?.close();
});

it('5 · reload mid-stream: the reply continues where it left off, once', { timeout: 120_000 }, async () => {
  const asks = ['a short question before the long one', '/long 1200'];
  const reference = await faultFreeReplies(chaos.relay.wsBase, asks);
  const chatId = newChatId('reload');
  const device = await chaos.device();
  const tab = await openChat(device, chaos.relay.base, chatId);
  const watcher = await openChat(device, chaos.relay.base, chatId);

  await send(tab, asks[0] ?? '');
  await replyDone(tab);
  await send(tab, asks[1] ?? '');
  await midStream(tab, 400);
  await tab.reload();
  await tab.locator('chat-composer textarea').waitFor();
  // Straight after the reload the partial reply is back from IndexedDB and still streaming.
  const after = await lastReply(tab);
  expect(after.chars).toBeGreaterThan(0);

  await judge(
    '5 reload mid-stream',
    chatId,
    asks.map((ask) => ({ ask, reply: reference.get(ask) ?? '' })),
    [tab, watcher],
    [tab],
  );
});
