/** Debian's Chromium through playwright-core, with the flags the e2e tests use, and trace analysis. */

import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
// Without these, Chromium stalls on a closed network (component updates, sync, first-run).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const VIEWPORT = { width: 1200, height: 800 };

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A browser with a profile on disk: closing and relaunching it is an app cold start with warm storage. */
export function launchProfile(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: VIEWPORT });
}

export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event; less than `dur` when the thread was preempted or blocked. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { data?: { message?: string } };
}

/**
 * Top-level tasks of the page's main thread, and the `console.timeStamp` marks it made, in ms. Each task has
 * its wall time and its thread CPU time: on a shared machine a task's wall time also counts the time other
 * processes held the core, so CPU time is what the page's own work cost.
 */
export class MainThread {
  readonly marks = new Map<string, number>();
  private readonly tasks: { start: number; end: number; cpu: number }[] = [];

  constructor(trace: Buffer) {
    const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
    const stamps = events.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message?.startsWith('bench:'));
    const first = stamps[0];
    if (!first) throw new Error('no bench marks in the trace');
    for (const e of stamps) this.marks.set(e.args?.data?.message ?? '', e.ts / 1000);
    for (const e of events) {
      if (e.ph === 'X' && e.name === 'RunTask' && e.pid === first.pid && e.tid === first.tid && e.dur !== undefined)
        this.tasks.push({ start: e.ts / 1000, end: (e.ts + e.dur) / 1000, cpu: (e.tdur ?? e.dur) / 1000 });
    }
    if (this.tasks.length === 0) throw new Error('no RunTask events for the page main thread in the trace');
  }

  mark(name: string): number {
    const at = this.marks.get(`bench:${name}`);
    if (at === undefined) throw new Error(`no bench:${name} mark in the trace`);
    return at;
  }

  /** Main-thread busy time between two marks (tasks clipped to the window): wall, or CPU pro rata. */
  busy(from: string, to: string, kind: 'wall' | 'cpu' = 'wall'): number {
    const a = this.mark(from);
    const b = this.mark(to);
    let ms = 0;
    for (const t of this.tasks) {
      const inside = Math.max(0, Math.min(b, t.end) - Math.max(a, t.start));
      const length = t.end - t.start;
      ms += kind === 'wall' ? inside : length > 0 ? (t.cpu * inside) / length : 0;
    }
    return ms;
  }

  /** The longest task that overlaps the window, by wall time or by CPU time. */
  longest(from: string, to: string, kind: 'wall' | 'cpu' = 'wall'): number {
    const a = this.mark(from);
    const b = this.mark(to);
    let max = 0;
    for (const t of this.tasks)
      if (t.end > a && t.start < b) max = Math.max(max, kind === 'wall' ? t.end - t.start : t.cpu);
    return max;
  }
}
