/**
 * Opening the app with many stored chats (200 × 500 messages by default), in a browser profile on disk that
 * is relaunched after seeding: from the WebSocket's `open` to the last `subscribe` frame and to the last answer
 * (`subscribed` or `error`; performance.now in the page), how many subscribes, how many message records
 * IndexedDB read in that window; then, once the open
 * chat shows its newest message and storage is quiet, the JS heap after a GC and the message-shaped objects
 * it holds (records with id, role, text and created_at; distinct chat_id among them).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT } from '../lib/chromium.ts';
import type { Counts, Subscriptions } from '../pages/structure-counts.ts';
import { seedChats, structureProbe } from './app-pages.ts';
import type { RelaySite } from './relay-site.ts';

/** The most chats the app follows on one connection today; only used to stop waiting early. */
const FOLLOWED = 200;
/** Without the expected count, the subscriptions are over once none has gone out for this long. */
const SUBSCRIBE_QUIET_MS = 3000;
const chatId = (i: number) => `many-${String(i).padStart(3, '0')}`;
const marker = (i: number) => `newest-of-${chatId(i)}`;

function profile(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    serviceWorkers: 'block',
  });
}

/** Heap after a GC, and the message-shaped objects still reachable (CDP, as DevTools' memory panel sees it). */
async function heap(page: Page): Promise<{ usedMB: number; messages: number; chats: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const proto = await cdp.send('Runtime.evaluate', { expression: 'Object.prototype', objectGroup: 'structure' });
    const protoId = proto.result.objectId;
    if (!protoId) throw new Error('structure: no handle on Object.prototype');
    const { objects } = await cdp.send('Runtime.queryObjects', {
      prototypeObjectId: protoId,
      objectGroup: 'structure',
    });
    if (!objects.objectId) throw new Error('structure: queryObjects returned no array');
    const counted = await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId,
      functionDeclaration: `function () {
        let messages = 0;
        const chats = new Set();
        for (const o of this) {
          try {
            if (typeof o.id !== 'string' || typeof o.role !== 'string' || typeof o.text !== 'string' || typeof o.created_at !== 'number') continue;
            messages++;
            if (typeof o.chat_id === 'string') chats.add(o.chat_id);
          } catch {
            // A getter that throws: not a plain record.
          }
        }
        return { messages, chats: chats.size };
      }`,
      returnByValue: true,
    });
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'structure' });
    if (counted.exceptionDetails)
      throw new Error(`structure: counting objects failed: ${counted.exceptionDetails.text}`);
    const value: unknown = counted.result.value;
    const get = (k: string) => Number(typeof value === 'object' && value !== null ? Reflect.get(value, k) : NaN);
    return { usedMB: usedSize / 1_048_576, messages: get('messages'), chats: get('chats') };
  } finally {
    await cdp.detach();
  }
}

export async function reconnect(
  site: RelaySite,
  chats: number,
  messages: number,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-structure-profile-'));
  try {
    const now = Date.now();
    const list = Array.from({ length: chats }, (_, i) => ({
      id: chatId(i),
      title: `Chat ${i}`,
      count: messages,
      marker: marker(i),
      updatedAt: now - i * 60_000,
    }));
    const seeding = await profile(dir);
    const t0 = performance.now();
    await seedChats(seeding, site, `${site.app}#/c/warm-up`, list, log);
    log(`seeded ${chats} × ${messages} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await seeding.close();

    const context = await profile(dir);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.addInitScript({ content: structureProbe() });
      // No hash: the app opens the most recent chat by itself, as after a relaunch.
      await page.goto(site.app);
      const subs = (await page.evaluate(
        `window.__structure.subscriptions(${Math.min(chats, FOLLOWED)}, ${SUBSCRIBE_QUIET_MS})`,
      )) as Subscriptions;
      await page.evaluate(`window.__structure.shows(${JSON.stringify(marker(0))})`);
      await page.evaluate('window.__structure.quiet(500)');
      const total = (await page.evaluate('window.__structure.total()')) as Counts;
      const held = await heap(page);
      const errors = Object.entries(total.errorsByCode).map(([code, n]) => `${code} ${n}`);
      log(
        `open → last subscribe ${(subs.lastSubscribeAt - subs.openAt).toFixed(0)} ms, → every one answered ` +
          `${(subs.lastAnswerAt - subs.openAt).toFixed(0)} ms (${subs.subscribes} subscribes, ` +
          `${subs.answered} answered, ${subs.complete ? 'complete' : 'ended by quiet'}, ${subs.sockets} socket(s)); ` +
          `message records read ${subs.messageRecordsAtLastSubscribe - subs.messageRecordsAtOpen} in that window, ` +
          `${total.messageRecords} in all; error frames: ${errors.join(', ') || 'none'}; heap ${held.usedMB.toFixed(1)} MB, ` +
          `${held.messages} message objects over ${held.chats} chats`,
      );
      return {
        openToLastSubscribe: subs.lastSubscribeAt - subs.openAt,
        // Only a complete set is "every subscription answered"; ended by the quiet fallback it is not.
        openToAllAnswered: subs.complete ? subs.lastAnswerAt - subs.openAt : Number.NaN,
        navigationToOpen: subs.openAt,
        subscribes: subs.subscribes,
        subscribed: total.receivedByType['subscribed'] ?? 0,
        rateLimited: total.errorsByCode['rate_limited'] ?? 0,
        complete: subs.complete ? 1 : 0,
        recordsInWindow: subs.messageRecordsAtLastSubscribe - subs.messageRecordsAtOpen,
        recordsBeforeOpen: subs.messageRecordsAtOpen,
        recordsTotal: total.messageRecords,
        readRequestsTotal: total.idbReads,
        errorFrames: Object.values(total.errorsByCode).reduce((a, b) => a + b, 0),
        heapMB: held.usedMB,
        heldMessages: held.messages,
        heldChats: held.chats,
      };
    } finally {
      await context.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
