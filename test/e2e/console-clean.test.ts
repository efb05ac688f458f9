/** Loading the app logs no console error: an optional file that is absent (config.json) must not show up as one. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { statusText } from './chaos/app-page.ts';
import { startHarness, type Harness } from './harness.ts';
import { startStaticHost, type StaticHost } from './static-host.ts';

let h: Harness;
let host: StaticHost;
let relay: TestRelay;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness();
  browser = h.browser;
  host = await startStaticHost();
  relay = await startRelay({ logLevel: 'error', allowedOrigins: [new URL(host.base).origin] });
});

afterAll(async () => {
  await relay?.close();
  await host?.close();
  await h?.close();
});

/** Every console error and uncaught exception while the page loads and connects. */
async function errorsOnLoad(url: string): Promise<string[]> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.locator('chat-composer textarea').waitFor();
  await expect.poll(() => statusText(page)).toContain('Connected');
  await page.reload();
  await expect.poll(() => statusText(page)).toContain('Connected');
  await context.close();
  return errors;
}

describe('a clean console', () => {
  it('when the relay serves the client (npm start)', async () => {
    expect(await errorsOnLoad(h.base)).toEqual([]);
  });

  it('on a static host opened from a ?relay= link', async () => {
    expect(await errorsOnLoad(`${host.base}?relay=${relay.wsBase}/ws`)).toEqual([]);
  });
});
