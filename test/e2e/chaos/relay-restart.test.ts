/**
 * Chaos 1: the relay process is killed mid-stream and started again on the same port, without shared
 * storage. "Nothing lost" across such a restart means: every message the tabs already had stays, in the
 * same order; every message the user wrote reaches the new relay exactly once (those written while it was
 * down from the outbox; the one whose reply was cut off asked again with its own client_msg_id, which
 * several tabs may send but the relay takes once); and every reply, once complete, is byte-identical to a
 * run without the fault. The cut-off partial reply is replaced by the complete one. What the old relay
 * alone held and no tab had (messages other devices sent while this one was away) cannot come back unless
 * the agent keeps a history; the app says so.
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
  '1 · relay killed and restarted mid-stream: cut-off reply asked again, nothing doubled',
  { timeout: 120_000 },
  async () => {
    const asks = ['a message before the crash', '/long 600', 'written while the relay was down'];
    const reference = await faultFreeReplies(chaos.relay.wsBase, asks);
    const chatId = newChatId('restart');
    const device = await chaos.device();
    const tab = await openChat(device, chaos.relay.base, chatId);
    const other = await openChat(device, chaos.relay.base, chatId);

    await send(tab, asks[0] ?? '');
    await replyDone(other);
    await send(tab, asks[1] ?? '');
    await midStream(other, 300);
    await chaos.relay.kill();
    await expect.poll(() => statusText(tab)).toContain('Offline');
    await send(other, asks[2] ?? '');
    await expect.poll(() => statusText(other)).toContain('1 pending');
    await chaos.relay.restart();

    await judge(
      '1 relay killed + restarted mid-stream',
      chatId,
      asks.map((ask) => ({ ask, reply: reference.get(ask) ?? '' })),
      [tab, other],
      [tab],
    );
    // Honest about what a restart without shared storage can lose.
    const notice = await tab.locator('chat-view .notice').textContent();
    expect(notice).toContain('The relay restarted');
  },
);
