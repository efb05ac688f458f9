/**
 * What one sent message costs: two tabs of the built app on the same chat (500 stored messages); tab A
 * sends `hello <n>`. Counted in A from the Enter until the ack arrived and the message shows as sent, and
 * until the demo agent's reply shows as finished; in B, everything from A's Enter until B shows the
 * finished reply. Each window also waits for IndexedDB, BroadcastChannel and sends to go quiet.
 */

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { VIEWPORT } from '../lib/chromium.ts';
import { median } from '../lib/stats.ts';
import type { Counts } from '../pages/structure-counts.ts';
import type { RelaySite } from './relay-site.ts';
import { openProbed, seedChats } from './app-pages.ts';

export const SEND_CHAT = 'structure-send';
/** Messages already in the chat: what a tab that rereads the whole chat pays for. */
export const SEND_HISTORY = 500;
const MARKER = 'newest-of-structure-send';
/** Quiet that ends the "sent" window: longer than a zero-delay write, shorter than a streaming reply's first batch. */
const SENT_QUIET_MS = 100;
const REPLY_QUIET_MS = 300;

/** The numbers reported per window. */
export const FIELDS = [
  'txReadonly',
  'txReadwrite',
  'bcPosts',
  'wsSent',
  'idbReads',
  'records',
  'messageRecords',
] as const;

interface Cycle {
  sent: Counts;
  replied: Counts;
  other: Counts;
}

async function cycle(a: Page, b: Page, text: string): Promise<Cycle> {
  const box = a.locator('chat-composer textarea');
  await box.fill(text);
  // Whatever typing set off (a debounced draft save, its broadcast) finishes before the window opens.
  await Promise.all([a.evaluate('window.__structure.quiet(400)'), b.evaluate('window.__structure.quiet(400)')]);
  await b.evaluate('window.__structure.reset()');
  await a.evaluate('window.__structure.armEnter()');
  await box.press('Enter');
  const sent = (await a.evaluate(`window.__structure.sent(${JSON.stringify(text)}, ${SENT_QUIET_MS})`)) as Counts;
  const replied = (await a.evaluate(`window.__structure.replied(${REPLY_QUIET_MS})`)) as Counts;
  const other = (await b.evaluate(`window.__structure.replied(${REPLY_QUIET_MS})`)) as Counts;
  return { sent, replied, other };
}

function describe(c: Counts): string {
  const kinds = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return (
    `tx ro ${c.txReadonly} rw ${c.txReadwrite} (${kinds(c.txByStores)}); reads ${c.idbReads} (${kinds(c.recordsByStore)}); ` +
    `BC ${c.bcPosts} (${kinds(c.bcByKind)}); WS out ${c.wsSent} (${kinds(c.sentByType)})`
  );
}

async function openTabs(context: BrowserContext, site: RelaySite): Promise<[Page, Page]> {
  const tabs: Page[] = [];
  for (let i = 0; i < 2; i++) tabs.push(await openProbed(context, `${site.app}#/c/${SEND_CHAT}`, MARKER));
  const [a, b] = tabs;
  if (!a || !b) throw new Error('structure: two tabs expected');
  return [a, b];
}

export async function sendCycles(
  browser: Browser,
  site: RelaySite,
  sends: number,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  try {
    const now = Date.now();
    await seedChats(context, site, `${site.app}#/c/${SEND_CHAT}`, [
      { id: SEND_CHAT, title: 'Structure', count: SEND_HISTORY, marker: MARKER, updatedAt: now },
      ...Array.from({ length: 19 }, (_, i) => ({
        id: `structure-other-${i}`,
        title: `Other ${i}`,
        count: 20,
        marker: `other-${i}`,
        updatedAt: now - (i + 1) * 3_600_000,
      })),
    ]);
    const [a, b] = await openTabs(context, site);
    // The first send in a chat also names it; measure the steady state after it.
    await cycle(a, b, 'hello 0');
    const cycles: Cycle[] = [];
    for (let i = 1; i <= sends; i++) {
      const c = await cycle(a, b, `hello ${i}`);
      cycles.push(c);
      log(`send ${i}: sent [${describe(c.sent)}]; until reply [${describe(c.replied)}]; tab B [${describe(c.other)}]`);
    }
    const out: Record<string, number> = {};
    for (const window of ['sent', 'replied', 'other'] as const) {
      for (const f of FIELDS) {
        const values = cycles.map((c) => c[window][f]);
        out[`${window}.${f}`] = median(values);
        // Load only adds to a window (a later write lands before it closes), so the fewest is the cleanest figure.
        out[`${window}.${f}.min`] = Math.min(...values);
      }
    }
    return out;
  } finally {
    await context.close();
  }
}
