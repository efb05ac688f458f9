/** The README's `?relay=…/ws` link on a static host opens offline: every navigation gets the shell, whatever its query. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { launchChromium } from './harness.ts';
import { startStaticHost, type StaticHost } from './static-host.ts';

let relay: TestRelay;
let host: StaticHost;
let browser: Browser;

beforeAll(async () => {
  relay = await startRelay({ logLevel: 'error' });
  host = await startStaticHost();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await relay?.close();
});

describe('a static host on a sub-path', () => {
  it('opens the ?relay= link offline after one visit', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const link = `${host.base}?relay=${relay.wsBase}/ws`;
    await page.goto(link);
    await page.locator('chat-composer textarea').waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    // Opening the link again, as from the README or a bookmark, and reloading it (it now carries a chat's hash).
    await page.goto(link);
    await page.locator('chat-composer textarea').waitFor();
    await page.reload();
    await page.locator('chat-composer textarea').waitFor();
    expect(page.url().split('#')[0]).toBe(link);
    await context.close();
  });
});
