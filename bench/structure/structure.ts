/**
 * Benchmark 8, the client's structure (issue 14), measured through the platform only (IndexedDB, BroadcastChannel
 * and WebSocket prototypes, the DOM, the wire) against the built relay serving dist/ with the demo agent, so the
 * same benchmark runs before and after a restructuring: what one sent message costs in the sending tab and in
 * a second tab, and what connecting costs with many stored chats. Counts, except the connect time (absolute ms:
 * there is no baseline to compare with in the same run).
 */

import { fmt, type Benchmark, type Row } from '../lib/bench.ts';
import { launch } from '../lib/chromium.ts';
import { pagesReady } from '../lib/pages.ts';
import { reconnect } from './reconnect.ts';
import { startRelaySite } from './relay-site.ts';
import { SEND_HISTORY, sendCycles } from './send-cycle.ts';

/** The shipped pacing of the demo agent, pinned so a changed default does not change the reply windows. */
const DEMO_DELAY_MS = 25;

export const structure: Benchmark = {
  name: 'structure',
  title: 'Structure (issue 14)',
  async measure(options, log) {
    await pagesReady();
    const site = await startRelaySite(['--demo-delay-ms', String(DEMO_DELAY_MS)]);
    try {
      const browser = await launch();
      let send: Record<string, number>;
      try {
        send = await sendCycles(browser, site, options.structureSends, log);
      } finally {
        await browser.close();
      }
      const many = await reconnect(site, options.structureChats, options.structureMessages, log);
      return {
        ...Object.fromEntries(Object.entries(send).map(([k, v]) => [`send.${k}`, v])),
        ...Object.fromEntries(Object.entries(many).map(([k, v]) => [`many.${k}`, v])),
      };
    } finally {
      await site.close();
    }
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const bench = '8. Structure (issue 14)';
    const costs = (w: string, suffix = '') => {
      const n = (f: string) => v(`send.${w}.${f}${suffix}`);
      return (
        `${fmt(n('txReadonly') + n('txReadwrite'))} (ro ${fmt(n('txReadonly'))}, rw ${fmt(n('txReadwrite'))}); ` +
        `BC ${fmt(n('bcPosts'))}; WS ${fmt(n('wsSent'))}`
      );
    };
    const reads = (w: string) =>
      `${fmt(v(`send.${w}.idbReads`))} requests, ${fmt(v(`send.${w}.messageRecords`))} message records ` +
      `(${fmt(v(`send.${w}.records`))} records in all)`;
    const grid = `${fmt(options.structureChats)} chats × ${fmt(options.structureMessages)} messages`;
    return [
      {
        bench,
        metric: 'per sent message, sending tab, Enter → ack + shown as sent: IDB transactions; BC posts; WS frames out',
        parley: `${costs('sent')}; fewest in one send: ${costs('sent', '.min')}`,
      },
      {
        bench,
        metric: 'same, Enter → demo reply finished',
        parley: costs('replied'),
      },
      {
        bench,
        metric: 'sending tab, Enter → reply finished: IDB reads',
        parley: reads('replied'),
      },
      {
        bench,
        metric: `second tab on the chat (${fmt(SEND_HISTORY)} messages), per message of the first: IDB reads; transactions`,
        parley: `${reads('other')}; tx ${costs('other')}`,
      },
      {
        bench,
        metric: `${grid}: socket open → last subscribe frame (absolute, no baseline)`,
        parley:
          `${fmt(v('many.openToLastSubscribe'))} ms; ${fmt(v('many.subscribes'))} subscribes ` +
          `(${fmt(v('many.subscribed'))} subscribed, ${fmt(v('many.rateLimited'))} refused as rate_limited); ` +
          `${fmt(v('many.recordsInWindow'))} message records read in it`,
      },
      {
        bench,
        metric: `${grid}: socket open → every subscription answered (subscribed or error)`,
        parley: `${fmt(v('many.openToAllAnswered'))} ms (${fmt(v('many.subscribed'))} subscribed of ${fmt(v('many.subscribes'))})`,
      },
      {
        bench,
        metric: `${grid}: JS heap after load settles (after GC); message objects held (chats)`,
        parley: `${fmt(v('many.heapMB'), 1)} MB; ${fmt(v('many.heldMessages'))} (${fmt(v('many.heldChats'))} chats)`,
      },
    ];
  },
};
