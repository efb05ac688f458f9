/**
 * Judges a chaos scenario once it has settled: every tab's DOM and every profile's IndexedDB hold the same
 * messages in the same order, each user message once, each reply byte-identical to the fault-free run.
 * Prints expected / present / duplicated / lost for the scenario.
 */

import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { renderedText, shownMessages, storedMessages, type Seen } from './observe.ts';

/** A message sent and the reply the fault-free run got for it. Asks are listed in the order the relay took them. */
export interface Exchange {
  ask: string;
  reply: string;
}

export interface Tally {
  expected: number;
  present: number;
  duplicated: number;
  lost: number;
  /** Messages nobody sent (e.g. a cut-off partial reply left behind). */
  unexpected: number;
}

const key = (m: { role: string; text: string }) => `${m.role}\u0000${m.text}`;

export function tally(expected: { role: string; text: string }[], seen: Seen[]): Tally {
  const counts = new Map<string, number>();
  for (const m of seen) counts.set(key(m), (counts.get(key(m)) ?? 0) + 1);
  const wanted = new Set(expected.map(key));
  let present = 0;
  let duplicated = 0;
  for (const k of wanted) {
    const n = counts.get(k) ?? 0;
    if (n > 0) present++;
    duplicated += Math.max(0, n - 1);
  }
  const unexpected = seen.filter((m) => !wanted.has(key(m))).length;
  return { expected: wanted.size, present, duplicated, lost: wanted.size - present, unexpected };
}

const COLUMNS: [string, number][] = [
  ['chaos scenario', 40],
  ['expected', 10],
  ['present', 9],
  ['duplicated', 12],
  ['lost', 6],
  ['unexpected', 12],
];

/** One row of the chaos table (with its header), on stdout. */
function print(scenario: string, t: Tally, observers: string): void {
  const header = COLUMNS.map(([name, width], i) => (i === 0 ? name.padEnd(width) : name.padStart(width))).join('');
  const values = [t.expected, t.present, t.duplicated, t.lost, t.unexpected];
  const row = COLUMNS.map(([, width], i) =>
    i === 0 ? scenario.padEnd(width) : String(values[i - 1]).padStart(width),
  ).join('');
  console.log(`\n  ${header}  observers\n  ${row}  ${observers}`);
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !(await check())) await new Promise((r) => setTimeout(r, 200));
}

const asSeen = (m: Seen) => ({ role: m.role, text: m.text });

/**
 * Waits until every tab and profile has settled on `exchanges.length * 2` messages (nothing streaming,
 * nothing queued), then checks them. `profiles` are one tab per browser context (each has its own IndexedDB).
 */
export async function judge(
  scenario: string,
  chatId: string,
  exchanges: Exchange[],
  tabs: Page[],
  profiles: Page[],
): Promise<Tally> {
  const count = exchanges.length * 2;
  const settled = (seen: Seen[]) => seen.length >= count && seen.every((m) => !m.unsettled);
  // Waits are bounded but do not throw: a scenario that lost something still prints its row, then fails.
  await until(async () => (await Promise.all(tabs.map(shownMessages))).every(settled), 60_000);
  await until(async () => {
    const stored = await Promise.all(profiles.map((p) => storedMessages(p, chatId)));
    return stored.every((s) => settled(s.messages) && s.queued === 0);
  }, 30_000);
  const first = tabs[0];
  if (!first) throw new Error('no tab to judge');
  const rendered = await renderedText(
    first,
    exchanges.map((e) => e.reply),
  );
  const raw = exchanges.flatMap((e) => [
    { role: 'user', text: e.ask },
    { role: 'assistant', text: e.reply },
  ]);
  const shownExpected = exchanges.flatMap((e, i) => [
    { role: 'user', text: e.ask },
    { role: 'assistant', text: rendered[i] ?? '' },
  ]);
  const toShown = new Map(exchanges.map((e, i) => [e.reply, rendered[i] ?? '']));

  const doms = await Promise.all(tabs.map((t) => shownMessages(t)));
  const dbs = await Promise.all(profiles.map(async (p) => (await storedMessages(p, chatId)).messages));
  const tallies = [...doms.map((d) => tally(shownExpected, d)), ...dbs.map((d) => tally(raw, d))];
  const worst: Tally = {
    expected: count,
    present: Math.min(...tallies.map((t) => t.present)),
    duplicated: Math.max(...tallies.map((t) => t.duplicated)),
    lost: Math.max(...tallies.map((t) => t.lost)),
    unexpected: Math.max(...tallies.map((t) => t.unexpected)),
  };
  print(scenario, worst, `${tabs.length} tab DOM${tabs.length === 1 ? '' : 's'}, ${profiles.length} IndexedDB`);

  // Same messages, same order, everywhere: the stored markdown maps to what the tabs render.
  const order = (doms[0] ?? []).map(asSeen);
  for (const dom of doms) expect(dom.map(asSeen)).toEqual(order);
  for (const db of dbs) {
    expect(
      db.map((m) => ({ role: m.role, text: m.role === 'user' ? m.text : (toShown.get(m.text) ?? m.text) })),
    ).toEqual(order);
  }
  // Nothing doubled, nothing lost, nothing else; the user's messages in the order the relay took them,
  // each reply after the message it answers.
  expect(worst).toEqual({ expected: count, present: count, duplicated: 0, lost: 0, unexpected: 0 });
  const asks = order.filter((m) => m.role === 'user').map((m) => m.text);
  expect(asks).toEqual(exchanges.map((e) => e.ask));
  exchanges.forEach((e, i) => {
    const ask = order.findIndex((m) => m.role === 'user' && m.text === e.ask);
    const reply = order.findIndex((m) => m.role === 'assistant' && m.text === rendered[i]);
    expect(reply).toBeGreaterThan(ask);
  });
  return worst;
}
