/**
 * Chaos 2: one device goes offline for a few seconds while a reply streams (and writes a message meanwhile);
 * another device stays online. When it comes back it resumes from its {epoch, seq}: the relay replays the
 * rest (the finished turn as one message) and the queued message goes out.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { midStream, openChat, replyDone, send, statusText } from './app-page.ts';
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
  '2 · browser offline for a few seconds mid-stream: resumes, nothing lost or doubled',
  { timeout: 120_000 },
  async () => {
    const asks = ['hello before going offline', '/long 800', 'typed while offline'];
    const reference = await faultFreeReplies(chaos.relay.wsBase, asks);
    const chatId = newChatId('offline');
    const laptop = await chaos.device();
    const phone = await chaos.device();
    const tab = await openChat(laptop, chaos.relay.base, chatId);
    const second = await openChat(laptop, chaos.relay.base, chatId);
    const online = await openChat(phone, chaos.relay.base, chatId);

    await send(tab, asks[0] ?? '');
    await replyDone(online);
    await send(tab, asks[1] ?? '');
    await midStream(tab, 300);
    await laptop.setOffline(true);
    await expect.poll(() => statusText(tab)).toContain('Offline');
    await send(second, asks[2] ?? '');
    await expect.poll(() => statusText(tab)).toContain('1 pending');
    // A few seconds away: the reply finishes on the phone meanwhile.
    await replyDone(online);
    await new Promise((r) => setTimeout(r, 2_000));
    await laptop.setOffline(false);

    await judge(
      '2 offline a few seconds mid-stream',
      chatId,
      asks.map((ask) => ({ ask, reply: reference.get(ask) ?? '' })),
      [tab, second, online],
      [tab, online],
    );
  },
);
