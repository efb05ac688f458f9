/**
 * Chaos 3: five messages written offline, the tab reloaded (the service worker serves the app), then the
 * network returns. The outbox lives in IndexedDB: after the reload the five are still shown as pending, in
 * order, and both tabs of the profile try to send them; client_msg_id makes the relay take each once.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { openChat, send, statusText, waitServiceWorker } from './app-page.ts';
import { newChatId, startChaos, type Chaos } from './fixture.ts';
import { shownMessages } from './observe.ts';
import { faultFreeReplies } from './reference.ts';
import { judge } from './verdict.ts';

let chaos: Chaos;
beforeAll(async () => {
  chaos = await startChaos();
});
afterAll(async () => {
  await chaos?.close();
});

it('3 · five messages offline, a reload, then online: each sent once, in order', { timeout: 120_000 }, async () => {
  const asks = [1, 2, 3, 4, 5].map((n) => `offline message number ${n}`);
  const reference = await faultFreeReplies(chaos.relay.wsBase, asks);
  const chatId = newChatId('outbox');
  const device = await chaos.device();
  const tab = await openChat(device, chaos.relay.base, chatId);
  const other = await openChat(device, chaos.relay.base, chatId);
  await waitServiceWorker(tab);

  await device.setOffline(true);
  await expect.poll(() => statusText(tab)).toContain('Offline');
  for (const ask of asks) await send(tab, ask);
  await expect.poll(() => statusText(tab)).toContain('5 pending');

  await tab.reload();
  await tab.locator('chat-composer textarea').waitFor();
  const queued = await shownMessages(tab);
  expect(queued.map((m) => [m.text, m.unsettled])).toEqual(asks.map((a) => [a, true]));
  await expect.poll(() => statusText(other)).toContain('5 pending');

  await device.setOffline(false);
  await judge(
    '3 five offline + reload, then online',
    chatId,
    asks.map((ask) => ({ ask, reply: reference.get(ask) ?? '' })),
    [tab, other],
    [tab],
  );
});
