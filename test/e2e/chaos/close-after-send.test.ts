/**
 * Chaos 6: a tab is closed right after Enter. The message is written to IndexedDB in one transaction
 * committed in the keypress's own task, and the frame leaves in that task too when connected. Whether the
 * relay got it (connected) or only the database did (offline), the tab that stays open shows it once and
 * gets its reply.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { openChat, replyDone, send, statusText } from './app-page.ts';
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
  '6 · a tab closed right after pressing send: the message is sent once and answered',
  { timeout: 120_000 },
  async () => {
    const asks = ['sent, then the tab was closed at once', 'written offline, then the tab was closed at once'];
    const reference = await faultFreeReplies(chaos.relay.wsBase, asks);
    const chatId = newChatId('close');
    const device = await chaos.device();
    const stays = await openChat(device, chaos.relay.base, chatId);

    const first = await openChat(device, chaos.relay.base, chatId);
    await send(first, asks[0] ?? '');
    await first.close();

    await replyDone(stays);

    const second = await openChat(device, chaos.relay.base, chatId);
    await device.setOffline(true);
    await expect.poll(() => statusText(second)).toContain('Offline');
    await send(second, asks[1] ?? '');
    await second.close();
    await device.setOffline(false);

    await judge(
      '6 tab closed right after send',
      chatId,
      asks.map((ask) => ({ ask, reply: reference.get(ask) ?? '' })),
      [stays],
      [stays],
    );
  },
);
