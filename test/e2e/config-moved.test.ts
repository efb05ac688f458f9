/**
 * A start does not wait for config.json: the app opens with the copy this browser read last time, and when the
 * file read now names another relay, it moves there, as after a change in the settings.
 */

import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TestClient } from '../helpers/client.ts';
import { openChat, replyDone, send, waitConnected } from './chaos/app-page.ts';
import { RelayProcess } from './chaos/relay-process.ts';
import { launchChromium } from './harness.ts';
import { startStaticHost, type StaticHost } from './static-host.ts';

let relays: RelayProcess[] = [];
let site: StaticHost;
let browser: Browser;
/** The relay config.json names now. */
let current: RelayProcess | undefined;
/** config.json requests held until the test lets them through. */
let hold = false;
const held: ServerResponse[] = [];

function answerConfig(res: ServerResponse): void {
  res
    .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' })
    .end(JSON.stringify({ relay: `${current?.wsBase}/ws` }));
}

beforeAll(async () => {
  // The site: dist/ as a static host serves it, and a config.json the test can change and hold back.
  site = await startStaticHost('/', (path, _req, res) => {
    if (path !== '/config.json') return false;
    if (hold) held.push(res);
    else answerConfig(res);
    return true;
  });
  const origin = ['--allowed-origins', site.base.slice(0, -1)];
  relays = [await RelayProcess.start(origin), await RelayProcess.start(origin)];
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const r of relays) await r.stop();
  await site?.close();
});

/** The user messages a relay holds for a chat, from a fresh subscriber's replay. */
async function userTexts(relay: RelayProcess, chatId: string): Promise<string[]> {
  const c = await TestClient.connect(relay.wsBase);
  try {
    c.send({ type: 'subscribe', chat_id: chatId });
    const sub = await c.waitType('subscribed');
    if (sub.head_seq > 0)
      await c.waitFor((fs) => (fs.some((f) => 'seq' in f && f.seq === sub.head_seq) ? true : undefined));
    return c.events(chatId).flatMap((e) => (e.type === 'message' && e.message.role === 'user' ? [e.message.text] : []));
  } finally {
    c.close();
  }
}

const shown = (page: Page) =>
  page.evaluate(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    return Array.from(view?.shadowRoot?.querySelectorAll('chat-message') ?? [], (m) => m.shadowRoot?.textContent ?? '');
  });

it('opens before config.json answers, then follows it to the relay it names now', { timeout: 90_000 }, async () => {
  const [first, second] = relays;
  if (!first || !second) throw new Error('two relays');
  const chatId = 'c-config-moved';
  current = first;
  const context = await browser.newContext();
  const page = await openChat(context, site.base, chatId);
  await send(page, 'on the first relay');
  await replyDone(page);
  expect(await userTexts(first, chatId)).toEqual(['on the first relay']);

  // The deployment moves to the second relay; the next start gets the file late.
  current = second;
  hold = true;
  await page.reload();
  // The chat is on screen while config.json is still unanswered: the start used the copy read last time.
  await expect.poll(async () => (await shown(page)).join(' '), { timeout: 20_000 }).toContain('on the first relay');
  expect(held.length).toBeGreaterThan(0);
  hold = false;
  for (const res of held.splice(0)) answerConfig(res);
  await waitConnected(page);
  await send(page, 'on the second relay');
  await replyDone(page);
  expect(await userTexts(second, chatId)).toContain('on the second relay');
  expect(await userTexts(first, chatId)).toEqual(['on the first relay']);
  await context.close();
});
