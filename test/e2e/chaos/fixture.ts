/** What every chaos scenario starts from: a relay process with the demo agent, Chromium, and fresh browser profiles. */

import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../harness.ts';
import { RelayProcess } from './relay-process.ts';

export interface Chaos {
  relay: RelayProcess;
  browser: Browser;
  /** A new browser profile (own IndexedDB, own service worker): another device. */
  device(): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startChaos(relayArgs: string[] = []): Promise<Chaos> {
  const relay = await RelayProcess.start(relayArgs);
  const browser = await launchChromium();
  return {
    relay,
    browser,
    device: () => browser.newContext({ viewport: { width: 900, height: 700 } }),
    async close() {
      await browser.close();
      await relay.stop();
    },
  };
}

export function newChatId(scenario: string): string {
  return `chaos-${scenario}-${randomUUID().slice(0, 8)}`;
}
