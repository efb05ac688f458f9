/**
 * Fault suite, issue 12 items 6–8: large frames, agent output past the limits, and memory bounds, each a scenario
 * on a real relay with real sockets that prints what was expected and what happened.
 */

import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/index.ts';
import { TestClient } from '../helpers/client.ts';
import { startRelay } from '../helpers/relay.ts';

/** Prints the scenario's verdict, then fails with both sides when they differ. */
function verdict(scenario: string, expected: Record<string, unknown>, happened: Record<string, unknown>): void {
  const line = `fault ${scenario}\n    expected: ${JSON.stringify(expected)}\n    happened: ${JSON.stringify(happened)}`;
  console.log(`\n  ${line}`);
  expect(happened, line).toEqual(expected);
}

/** The value, or what went wrong as text, so a scenario reports instead of stopping at the first failure. */
async function settle<T>(p: Promise<T>): Promise<T | string> {
  try {
    return await p;
  } catch (err) {
    return `failed: ${err instanceof Error ? err.message.slice(0, 120) : String(err)}`;
  }
}

function file(id: string, size: number) {
  return { id, name: `${id}.png`, mime: 'image/png', size, data: Buffer.alloc(size, 7).toString('base64') };
}

async function follower(base: string, chatId: string): Promise<TestClient> {
  const client = await TestClient.connect(base);
  client.send({ type: 'subscribe', chat_id: chatId });
  await client.waitType('subscribed');
  return client;
}

const messages = (events: ChatEvent[]) => events.filter((e) => e.type === 'message').length;

describe('fault suite: limits (issue 12)', () => {
  it('item 6: one allowed 7.9 MiB attachment reaches the sender, an observer and a device that opens the chat later', async () => {
    const relay = await startRelay();
    const size = Math.floor(7.9 * 1024 * 1024);
    const sender = await follower(relay.wsBase, 'big-file');
    const observer = await follower(relay.wsBase, 'big-file');
    sender.send({
      type: 'send',
      chat_id: 'big-file',
      client_msg_id: 'f1',
      text: 'a photo',
      attachments: [file('p', size)],
    });
    const ack = await settle(sender.waitType('ack'));
    const end = await settle(observer.waitType('turn_end'));
    const later = await TestClient.connect(relay.wsBase);
    later.send({ type: 'subscribe', chat_id: 'big-file' });
    const replayed = await settle(later.waitFor(() => (messages(later.events('big-file')) >= 2 ? true : undefined)));
    verdict(
      '6 large attachment',
      { senderAck: true, observerTurn: 'done', laterReplay: 2, closes: [null, null, null] },
      {
        senderAck: typeof ack === 'string' ? ack : true,
        observerTurn: typeof end === 'string' ? end : end.status,
        laterReplay: typeof replayed === 'string' ? replayed : messages(later.events('big-file')),
        closes: [sender, observer, later].map((c) => c.closeCode ?? null),
      },
    );
    for (const c of [sender, observer, later]) c.close();
    await relay.close();
  });

  it('item 6: a replay of six 7.9 MiB messages (over --max-buffered-bytes together) waits for the socket to drain', async () => {
    const relay = await startRelay({ rateLimit: 100, rateBurst: 100 });
    const size = Math.floor(7.9 * 1024 * 1024);
    const sender = await follower(relay.wsBase, 'many-files');
    for (let i = 0; i < 6; i++) {
      const from = sender.frames.length;
      sender.send({
        type: 'send',
        chat_id: 'many-files',
        client_msg_id: `m${i}`,
        text: `photo ${i}`,
        attachments: [file(`p${i}`, size)],
      });
      await sender.waitType('turn_end', () => true, from);
    }
    const later = await TestClient.connect(relay.wsBase);
    later.send({ type: 'subscribe', chat_id: 'many-files' });
    const replayed = await settle(later.waitFor(() => (messages(later.events('many-files')) >= 12 ? true : undefined)));
    verdict(
      '6 replay of large messages',
      { laterReplay: 12, laterClosed: null },
      {
        laterReplay: typeof replayed === 'string' ? replayed : messages(later.events('many-files')),
        laterClosed: later.closeCode ?? null,
      },
    );
    sender.close();
    later.close();
    await relay.close();
  });
});
