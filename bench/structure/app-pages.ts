/** Pages of the structure benchmark: the app with the counting probe injected, and seeding through the bench page. */

import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { PAGES_OUT } from '../lib/pages.ts';
import type { SeedChat } from '../pages/structure-counts.ts';
import type { RelaySite } from './relay-site.ts';

/** Chats written per page call, so progress can be logged and no single call runs for minutes. */
const SEED_BATCH = 20;

export function structureProbe(): string {
  return readFileSync(`${PAGES_OUT}/structure-probe.js`, 'utf8');
}

/** Lets the app create its database (its composer shows once boot has opened it), then adds the chats. */
export async function seedChats(
  context: BrowserContext,
  site: RelaySite,
  appUrl: string,
  chats: SeedChat[],
  log: (line: string) => void = () => {},
): Promise<void> {
  const app = await context.newPage();
  await app.goto(appUrl);
  await app.locator('chat-composer textarea').waitFor();
  await app.close();
  const page = await context.newPage();
  await page.goto(`${site.bench}structure-seed.html`);
  await page.waitForFunction('window.__structureSeed !== undefined');
  for (let i = 0; i < chats.length; i += SEED_BATCH) {
    const batch = chats.slice(i, i + SEED_BATCH);
    await page.evaluate(`window.__structureSeed.chats(${JSON.stringify(batch)})`);
    if (chats.length > SEED_BATCH) log(`seeded ${Math.min(chats.length, i + SEED_BATCH)} of ${chats.length} chats`);
  }
  await page.close();
}

/** The app with the probe, once the open chat's newest message shows, a subscription was answered and storage is quiet. */
export async function openProbed(context: BrowserContext, url: string, marker: string): Promise<Page> {
  const page = context.pages().find((p) => p.url() === 'about:blank') ?? (await context.newPage());
  await page.addInitScript({ content: structureProbe() });
  await page.goto(url);
  await page.locator('chat-composer textarea').waitFor();
  await page.evaluate(`window.__structure.shows(${JSON.stringify(marker)})`);
  await page.waitForFunction('(window.__structure.total().receivedByType.subscribed ?? 0) > 0');
  await page.evaluate('window.__structure.quiet(500)');
  return page;
}
