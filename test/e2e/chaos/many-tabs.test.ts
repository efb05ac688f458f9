/**
 * Chaos 4: three tabs of one profile and a second device (another browser profile, opening the chat by its
 * link while a long reply streams). Two of them write follow-ups during the stream; every one of them ends
 * with the same messages in the same order, and the profile's IndexedDB (written by three tabs at once)
 * holds each message once.
 */

import { afterAll, beforeAll, it } from 'vitest';
import { midStream, openChat, send } from './app-page.ts';
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

it(
  '4 · three tabs and a second device on one chat during a long reply: all converge',
  { timeout: 120_000 },
  async () => {
    const asks = ['/long 900', 'a follow-up from tab two', 'a follow-up from the other device'];
    const reference = await faultFreeReplies(chaos.relay.wsBase, asks);
    const chatId = newChatId('tabs');
    const laptop = await chaos.device();
    const tabs = [];
    for (let i = 0; i < 3; i++) tabs.push(await openChat(laptop, chaos.relay.base, chatId));
    const [one, two, three] = tabs;
    if (!one || !two || !three) throw new Error('tabs did not open');

    await send(one, asks[0] ?? '');
    await midStream(three, 200);
    // The second device opens the chat's link mid-stream: the relay replays what it holds, then it follows live.
    const phone = await openChat(await chaos.device(), chaos.relay.base, chatId);
    await midStream(phone, 400);
    await send(two, asks[1] ?? '');
    await midStream(phone, 800);
    await send(phone, asks[2] ?? '');

    await judge(
      '4 three tabs + second device, long reply',
      chatId,
      asks.map((ask) => ({ ask, reply: reference.get(ask) ?? '' })),
      [one, two, three, phone],
      [one, phone],
    );
  },
);
