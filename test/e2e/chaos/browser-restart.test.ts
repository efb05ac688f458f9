/**
 * Chaos 7: messages written while the relay is unreachable, then the whole browser closed. They live in
 * the profile's IndexedDB outbox; when the browser starts again on the same profile and the relay is back,
 * they are sent, in order, once.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../harness.ts';
import { openChat, replyDone, send, statusText } from './app-page.ts';
import { newChatId } from './fixture.ts';
import { faultFreeReplies } from './reference.ts';
import { RelayProcess } from './relay-process.ts';
import { judge } from './verdict.ts';

const profile = mkdtempSync(join(tmpdir(), 'parley-profile-'));
let relay: RelayProcess;
let browser: BrowserContext | undefined;

const launch = () => chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS });

beforeAll(async () => {
  relay = await RelayProcess.start();
});
afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  rmSync(profile, { recursive: true, force: true });
});

it('7 · messages queued when the browser closed are sent after it starts again', { timeout: 120_000 }, async () => {
  const asks = ['said before the relay went away', 'queued, then the browser closed', 'queued second'];
  const reference = await faultFreeReplies(relay.wsBase, asks);
  const chatId = newChatId('browser');
  browser = await launch();
  let tab = await openChat(browser, relay.base, chatId);
  await send(tab, asks[0] ?? '');
  await replyDone(tab);

  await relay.kill();
  await expect.poll(() => statusText(tab)).toContain('Offline');
  await send(tab, asks[1] ?? '');
  await send(tab, asks[2] ?? '');
  await expect.poll(() => statusText(tab)).toContain('2 pending');
  await browser.close();

  await relay.restart();
  browser = await launch();
  tab = await openChat(browser, relay.base, chatId);
  await judge(
    '7 browser restarted with 2 queued',
    chatId,
    asks.map((ask) => ({ ask, reply: reference.get(ask) ?? '' })),
    [tab],
    [tab],
  );
});
