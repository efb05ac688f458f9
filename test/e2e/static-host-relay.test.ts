/** A static host remembers the relay a link chose (once the user agrees), and says so in the page when no relay is reachable. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { statusText } from './chaos/app-page.ts';
import { launchChromium } from './harness.ts';
import { startStaticHost, type StaticHost } from './static-host.ts';

let relay: TestRelay;
let host: StaticHost;
let browser: Browser;

beforeAll(async () => {
  host = await startStaticHost();
  relay = await startRelay({ logLevel: 'error', allowedOrigins: [new URL(host.base).origin] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await relay?.close();
});

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('chat-composer textarea').waitFor();
}

describe('a static host on a sub-path', () => {
  it('remembers the relay of a ?relay= link once the user agrees, and uses it without the parameter', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page, `${host.base}?relay=${relay.wsBase}/ws`);
    await expect.poll(() => statusText(page)).toContain('Connected');
    await page.getByRole('button', { name: 'Remember this relay' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Remember this relay' }).count()).toBe(0);

    await open(page, host.base);
    await expect.poll(() => statusText(page)).toContain('Connected');
    expect(await page.getByRole('button', { name: 'Set relay…' }).count()).toBe(0);
    await context.close();
  });

  it('says in the page that no relay is reachable, with a button that opens the settings', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Nothing answers ./ws on a static host.
    await open(page, host.base);
    const notice = page.locator('.relay-notice[role=alert]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('cannot reach a relay');
    await page.getByRole('button', { name: 'Set relay…' }).click();
    await page.locator('settings-dialog dialog[open]').waitFor();
    await context.close();
  });
});
