/** The relay keeps each chat's whole history in its data directory: past the replay window, across restarts, within retention. */

import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayConfig } from '../../relay/config.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { Transcript } from '../helpers/transcript.ts';
import { replayOf, tempDataDir } from './history-helpers.ts';

let relay: TestRelay | undefined;
const clients: TestClient[] = [];
const dirs: (() => void)[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await relay?.close();
  relay = undefined;
  for (const remove of dirs.splice(0)) remove();
});

function dataDir(): string {
  const { dir, remove } = tempDataDir();
  dirs.push(remove);
  return dir;
}

async function start(config: Partial<RelayConfig>, now?: () => number): Promise<TestRelay> {
  await relay?.close();
  relay = await startRelay(config, undefined, now);
  return relay;
}

/** Holds `count` exchanges (a message and its reply) in `chatId`. */
async function talk(base: string, chatId: string, count: number, tag: string): Promise<void> {
  const client = await TestClient.connect(base);
  clients.push(client);
  client.send({ type: 'subscribe', chat_id: chatId });
  await client.waitType('subscribed');
  for (let i = 0; i < count; i++)
    expect((await converse(client, chatId, `${tag} ${i}`, `${tag}-${i}`)).status).toBe('done');
  client.close();
}

async function messages(base: string, chatId: string, resume = {}) {
  const r = await replayOf(base, chatId, resume);
  clients.push(r.client);
  const t = new Transcript();
  for (const e of r.events) t.apply(e);
  return { ...r, messages: t.messages };
}

const chatFile = (dir: string): string => {
  const names = readdirSync(join(dir, 'chats')).filter((n) => n.endsWith('.log'));
  expect(names).toHaveLength(1);
  return join(dir, 'chats', names[0] ?? '');
};

describe('the history in --data-dir', () => {
  it('gives a new device the whole chat, longer than the replay window, before and after a restart', async () => {
    const dir = dataDir();
    const config = { dataDir: dir, replayMaxEvents: 10 };
    let r = await start(config);
    await talk(r.wsBase, 'long', 15, 'question');
    const before = await messages(r.wsBase, 'long');
    expect(before.sub.recovered).toBe(true);
    expect(before.messages).toHaveLength(30);
    expect(before.messages[0]?.text).toBe('question 0');
    expect(before.messages.filter((m) => m.role === 'assistant').every((m) => m.text.length > 0)).toBe(true);
    const epoch = r.relay.epoch;
    r = await start(config);
    expect(r.relay.epoch).toBe(epoch);
    const after = await messages(r.wsBase, 'long');
    expect(after.sub).toMatchObject({ recovered: true, head_seq: before.sub.head_seq, epoch });
    expect(after.messages).toEqual(before.messages);
    // A finished turn stays one message on disk too: one event per message.
    expect(after.events).toHaveLength(30);
    // A resume from the middle gets exactly the rest, read from disk.
    const mid = before.events[7]?.seq ?? 0;
    const resumed = await messages(r.wsBase, 'long', { epoch, after_seq: mid });
    expect(resumed.sub.recovered).toBe(true);
    expect(resumed.events.map((e) => e.seq)).toEqual(before.events.filter((e) => e.seq > mid).map((e) => e.seq));
    const health = (await (await fetch(`${r.httpBase}/healthz`)).json()) as Record<string, unknown>;
    expect(health.history).toMatchObject({ kind: 'files', ok: true, location: dir, chats: 1 });
  });

  it('answers a send resent after a restart with its first ack, and runs it once', async () => {
    const dir = dataDir();
    let r = await start({ dataDir: dir });
    const a = await TestClient.connect(r.wsBase);
    clients.push(a);
    a.send({ type: 'subscribe', chat_id: 'resend' });
    await a.waitType('subscribed');
    await converse(a, 'resend', 'only once', 'once-1');
    const ack = await a.waitType('ack');
    r = await start({ dataDir: dir });
    const b = await TestClient.connect(r.wsBase);
    clients.push(b);
    b.send({ type: 'subscribe', chat_id: 'resend' });
    await b.waitType('subscribed');
    b.send({ type: 'send', chat_id: 'resend', client_msg_id: 'once-1', text: 'only once' });
    expect(await b.waitType('ack')).toEqual(ack);
    const { messages: kept } = await messages(r.wsBase, 'resend');
    expect(kept.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('loads the intact records of a file whose last write was torn, says so, and keeps going', async () => {
    const dir = dataDir();
    let r = await start({ dataDir: dir });
    await talk(r.wsBase, 'torn', 3, 'kept');
    const before = await messages(r.wsBase, 'torn');
    await r.close();
    relay = undefined;
    const file = chatFile(dir);
    const whole = statSync(file).size;
    // A crash in the middle of a record, and a line damaged in the middle of the file.
    appendFileSync(file, 'e\t1\t\t{"type":"message","chat_id":"torn","seq":99,"epo');
    r = await start({ dataDir: dir });
    const after = await messages(r.wsBase, 'torn');
    expect(after.messages).toEqual(before.messages);
    expect(r.logs.some((l) => /chat history damaged.*torn_tail=true/.test(l))).toBe(true);
    expect(statSync(file).size).toBe(whole);
    await talk(r.wsBase, 'torn', 1, 'later');
    await r.close();
    relay = undefined;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(2, 0, 'not a record at all');
    writeFileSync(file, lines.join('\n'));
    r = await start({ dataDir: dir });
    const again = await messages(r.wsBase, 'torn');
    expect(again.messages.map((m) => m.text.slice(0, 7))).toEqual(
      [...before.messages, ...again.messages.slice(6)].map((m) => m.text.slice(0, 7)),
    );
    expect(again.messages).toHaveLength(8);
    expect(r.logs.some((l) => /chat history damaged.*damaged_lines=1/.test(l))).toBe(true);
  });

  it('keeps only the newest --history-max-bytes of a chat, on disk as in memory', async () => {
    const dir = dataDir();
    const config = { dataDir: dir, historyMaxBytes: 8192, replayMaxEvents: 10 };
    let r = await start(config);
    await talk(r.wsBase, 'big', 20, 'sized');
    const live = await messages(r.wsBase, 'big');
    expect(live.sub.recovered).toBe(false);
    const bytes = live.events.reduce((n, e) => n + JSON.stringify(e).length, 0);
    expect(bytes).toBeLessThanOrEqual(8192);
    expect(live.messages.at(-2)?.text).toBe('sized 19');
    expect(live.messages.length).toBeLessThan(40);
    r = await start(config);
    const after = await messages(r.wsBase, 'big');
    expect(after.messages).toEqual(live.messages);
    expect(after.sub.recovered).toBe(false);
    // Retention also gives the disk back.
    expect(statSync(chatFile(dir)).size).toBeLessThan(3 * 8192);
  });

  it('drops events older than --history-max-age, and tells a client resuming from before them', async () => {
    const dir = dataDir();
    let now = 1_000_000;
    const clock = () => now;
    const config = { dataDir: dir, historyMaxAgeSec: 60 };
    let r = await start(config, clock);
    await talk(r.wsBase, 'aged', 3, 'old');
    const epoch = r.relay.epoch;
    now += 120_000;
    await talk(r.wsBase, 'aged', 1, 'new');
    const live = await messages(r.wsBase, 'aged', { epoch, after_seq: 0 });
    expect(live.messages.map((m) => m.text.slice(0, 5))).toEqual(['new 0', live.messages[1]?.text.slice(0, 5)]);
    expect(live.sub.recovered).toBe(false);
    r = await start(config, clock);
    const after = await messages(r.wsBase, 'aged', { epoch, after_seq: 0 });
    expect(after.messages).toEqual(live.messages);
    expect(after.sub.recovered).toBe(false);
  });

  it('keeps nothing on disk with --data-dir none', async () => {
    const r = await start({ dataDir: 'none', replayMaxEvents: 10 });
    await talk(r.wsBase, 'mem', 8, 'q');
    const live = await messages(r.wsBase, 'mem');
    expect(live.sub.recovered).toBe(false);
    const health = (await (await fetch(`${r.httpBase}/healthz`)).json()) as Record<string, unknown>;
    expect(health.history).toEqual({ kind: 'memory', ok: true });
  });
});
