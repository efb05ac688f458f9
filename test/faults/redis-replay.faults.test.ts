/** Fault scenarios of issue 12 about what a Redis-backed chat keeps for replay: seq, eviction, `recovered`, bytes. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/index.ts';
import { converse, follow } from '../helpers/client.ts';
import { inspectRedis, startRedis, until, type TestRedis } from '../helpers/redis.ts';
import { startRelay } from '../helpers/relay.ts';
import { Gate, inputText, ScriptedAgent } from '../helpers/scripted-agent.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

/** The first user turn streams one delta, waits for `gate`, then streams `tokens` more; other turns answer at once. */
function longTurnAgent(gate: Gate, tokens: number): ScriptedAgent {
  return new ScriptedAgent(async function* (turn) {
    if (inputText(turn) !== 'long') return yield { type: 'delta', text: `re: ${inputText(turn)}` };
    yield { type: 'delta', text: 'start ' };
    await gate.opened;
    for (let i = 0; i < tokens; i++) yield { type: 'delta', text: `t${i} ` };
  });
}

function userTexts(events: ChatEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'message' && e.message.role === 'user' ? [e.message.text] : []));
}

describe('issue 12 item 4: a Redis chat idle longer than --history-max-age', () => {
  it('continues its seq within the epoch, so live followers and resumes stay exact', async () => {
    // Only retention lets a Stream expire (issue 15): the replay age no longer does. Redis expires the log by its
    // own clock; the relay's stands still after the idle time, so the new events are not aged out as they are read.
    let clock = Date.now();
    const relay = await startRelay({ redisUrl: redis.url, historyMaxAgeSec: 1 }, undefined, () => clock);
    const { client: live } = await follow(relay.wsBase, 'f4');
    await converse(live, 'f4', 'before the idle time', 'c1');
    const head = live.events('f4').at(-1)?.seq ?? 0;
    const look = await inspectRedis(redis.url);
    await until(async () => (await look.exists('parley:c:{f4}:log')) === 0, 'the replay log expired');
    await look.close();
    clock = Date.now();

    live.send({ type: 'send', chat_id: 'f4', client_msg_id: 'c2', text: 'after the idle time' });
    const ack = await live.waitType('ack', (a) => a.client_msg_id === 'c2');
    expect(ack.seq, `seq continues after ${head} in the same epoch`).toBe(head + 1);
    const end = await live.waitType('turn_end', (t) => t.seq > ack.seq);

    const epoch = relay.relay.epoch;
    const { client: behind, sub: missed } = await follow(relay.wsBase, 'f4', { epoch, after_seq: 2 });
    expect(missed.recovered, 'a device that missed expired events is told so').toBe(false);
    const { client: current, sub: caughtUp } = await follow(relay.wsBase, 'f4', { epoch, after_seq: head });
    expect(caughtUp.recovered, 'a device that saw everything before the idle time resumes exactly').toBe(true);
    await current.waitFor((fs) => fs.find((f) => f.type === 'message' && f.seq === end.seq), 'the new reply');
    expect(userTexts(current.events('f4'))).toEqual(['after the idle time']);
    for (const c of [live, behind, current]) c.close();
    await relay.close();
  });
});

describe('issue 12 item 5 (issue 15): a Redis chat keeps a long turn whole, as the disk store does', () => {
  /** Runs a long turn with a message posted during it, then replays the chat from after the first message. */
  async function longTurnWithMessage(chatId: string, tokens: number) {
    const gate = new Gate();
    const relay = await startRelay({ redisUrl: redis.url, replayMaxEvents: 10 }, longTurnAgent(gate, tokens));
    const { client } = await follow(relay.wsBase, chatId);
    client.send({ type: 'send', chat_id: chatId, client_msg_id: 'c1', text: 'long' });
    await client.waitType('delta');
    client.send({ type: 'send', chat_id: chatId, client_msg_id: 'c2', text: 'posted during the turn' });
    await client.waitType('ack', (a) => a.client_msg_id === 'c2');
    gate.open();
    await client.waitFor((fs) => (fs.filter((f) => f.type === 'turn_end').length === 2 ? true : undefined));
    client.close();
    const epoch = relay.relay.epoch;
    const { client: again, sub } = await follow(relay.wsBase, chatId, { epoch, after_seq: 1 });
    const events = await again.waitFor(() => {
      const got = again.events(chatId);
      return got.length > 0 && got.at(-1)?.seq === sub.head_seq ? got : undefined;
    }, 'the replay');
    again.close();
    await relay.close();
    return { recovered: sub.recovered, users: userTexts(events), types: events.map((e) => e.type) };
  }

  it("does not count a running turn's events against --replay-max-events", async () => {
    const replay = await longTurnWithMessage('f5a', 150);
    expect(replay, 'a 150-event turn under a limit of 10 compacts to one message and evicts nothing').toEqual({
      recovered: true,
      users: ['posted during the turn'],
      types: ['message', 'message', 'message'],
    });
  });

  it('keeps a message posted during a turn longer than 20 × --replay-max-events (the Stream is the history)', async () => {
    const replay = await longTurnWithMessage('f5b', 250);
    expect(replay).toEqual({
      recovered: true,
      users: ['posted during the turn'],
      types: ['message', 'message', 'message'],
    });
  });
});

describe('issue 12 item 8: the Redis replay log is bounded by bytes', () => {
  it('trims by --history-max-bytes, and says so to a resume from before the trim', async () => {
    const maxBytes = 20_000;
    const agent = new ScriptedAgent(async function* () {
      yield { type: 'delta', text: 'ok' };
    });
    const relay = await startRelay({ redisUrl: redis.url, historyMaxBytes: maxBytes }, agent);
    const { client } = await follow(relay.wsBase, 'f8');
    for (let i = 0; i < 10; i++) await converse(client, 'f8', `${i} ${'x'.repeat(4000)}`, `c${i}`);
    client.close();
    const { client: fresh, sub } = await follow(relay.wsBase, 'f8', { epoch: relay.relay.epoch, after_seq: 0 });
    const events = await fresh.waitFor(() => {
      const got = fresh.events('f8');
      return got.at(-1)?.seq === sub.head_seq ? got : undefined;
    }, 'the replay');
    const bytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
    expect(bytes, `the replay holds at most ${maxBytes} bytes`).toBeLessThanOrEqual(maxBytes);
    expect(sub.recovered, 'a resume from the start is told that older messages were trimmed').toBe(false);
    expect(userTexts(events).at(-1)?.startsWith('9 '), 'the newest message is kept').toBe(true);
    const look = await inspectRedis(redis.url);
    const stored = await look.xRange('parley:c:{f8}:log', '-', '+');
    const counted = Number(await look.hGet('parley:c:{f8}:meta', 'bytes'));
    await look.close();
    const actual = (stored ?? []).reduce(
      (n, e) => n + Object.values(e.message).reduce((m, v) => m + Buffer.byteLength(v), 0),
      0,
    );
    expect(counted, 'the byte counter matches what the Stream holds').toBe(actual);
    fresh.close();
    await relay.close();
  });
});
