/** Fault scenarios of issue 12 where Redis (append-only file on) restarts in the middle of a reply. */

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRelayToAgentFrame, type RelayToAgentFrame } from '../../shared/index.ts';
import { Transcript } from '../helpers/transcript.ts';
import { converse, follow, type TestClient } from '../helpers/client.ts';
import { inspectRedis, startRedis, until, type TestRedis } from '../helpers/redis.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { Gate, inputText, ScriptedAgent } from '../helpers/scripted-agent.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

/** Stops Redis and waits until the relay reports it. */
async function outage(relay: TestRelay): Promise<void> {
  await redis.stop();
  await until(() => relay.relay.health().status === 'degraded', 'the relay reports Redis lost');
}

function deltas(client: TestClient, chatId: string): number {
  return client.events(chatId).filter((e) => e.type === 'delta').length;
}

describe('issue 12 item 3: Redis restarted mid-reply', () => {
  it('ends the cut turn exactly once, replays the cut reply with what had streamed, and frees the chat at once', async () => {
    const gate = new Gate();
    const agent = new ScriptedAgent(async function* (turn) {
      if (inputText(turn) !== 'cut me') return yield { type: 'delta', text: 'next answered' };
      yield { type: 'delta', text: 'streamed before ' };
      yield { type: 'delta', text: 'the outage' };
      await gate.opened;
      yield { type: 'delta', text: ' (Redis is down: never stored)' };
    });
    const relay = await startRelay({ redisUrl: redis.url }, agent);
    const { client } = await follow(relay.wsBase, 'f3');
    client.send({ type: 'send', chat_id: 'f3', client_msg_id: 'c1', text: 'cut me' });
    await client.waitFor(() => (deltas(client, 'f3') === 2 ? true : undefined), 'two deltas');
    const replyId = client.events('f3').find((e) => e.type === 'turn_start')?.message_id;

    await outage(relay);
    gate.open();
    await until(() => relay.logs.some((l) => l.includes('shared turn queue failed')), 'the turn is cut off');
    // Its followers here are told at once that the reply stopped; its turn_end waits for Redis.
    const notice = await client.waitType('error', (e) => e.chat_id === 'f3' && e.ref === undefined);
    expect(notice.code).toBe('storage_unavailable');
    await redis.start();
    expect(await client.waitClose(15_000), 'clients are asked to resume once Redis is back').toBe(1012);

    const look = await inspectRedis(redis.url);
    const held = {
      runner: await look.exists('parley:c:{f3}:runner'),
      active: await look.exists('parley:c:{f3}:active'),
    };
    await look.close();
    expect(held, 'the cut turn no longer holds the chat (no stale runner lock, no running record)').toEqual({
      runner: 0,
      active: 0,
    });

    const { client: next } = await follow(relay.wsBase, 'f3', { epoch: relay.relay.epoch, after_seq: 0 });
    expect((await converse(next, 'f3', 'next', 'c2')).status, 'the next message is answered').toBe('done');
    next.close();

    const { client: fresh, sub } = await follow(relay.wsBase, 'f3', { epoch: relay.relay.epoch, after_seq: 0 });
    expect(sub.recovered).toBe(true);
    await fresh.waitFor((fs) => (fs.filter((f) => f.type === 'message').length >= 4 ? true : undefined), '4 messages');
    const copies = fresh.events('f3').filter((e) => e.type === 'message' && e.message.id === replyId);
    expect(copies.length, 'the replay holds the cut reply once').toBe(1);
    const t = new Transcript();
    for (const e of fresh.events('f3')) t.apply(e);
    const cut = t.messages.find((m) => m.id === replyId);
    expect(
      { text: cut?.text, status: cut?.status, error: cut?.error },
      'the cut reply keeps what had streamed',
    ).toEqual({
      text: 'streamed before the outage',
      status: 'error',
      error: notice.message,
    });
    expect(t.messages.map((m) => m.text)).toEqual(['cut me', 'streamed before the outage', 'next', 'next answered']);
    fresh.close();
    await relay.close();
  });
});

/** An agent process on the agent endpoint, speaking the wire protocol over a plain socket. */
async function connectAgent(relay: TestRelay, token: string) {
  const ws = new WebSocket(`${relay.wsBase}/agent`, { headers: { authorization: `Bearer ${token}` } });
  const frames: RelayToAgentFrame[] = [];
  ws.on('message', (d) => {
    const parsed = parseRelayToAgentFrame(d.toString());
    if (parsed.ok) frames.push(parsed.value);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (frame: object) => ws.send(JSON.stringify(frame));
  send({ type: 'hello', protocol: 1, name: 'Far agent', capabilities: ['markdown', 'stop'] });
  const waitFor = async <T extends RelayToAgentFrame['type']>(type: T, what: string) => {
    let found: Extract<RelayToAgentFrame, { type: T }> | undefined;
    await until(
      () => (found = frames.find((f): f is Extract<RelayToAgentFrame, { type: T }> => f.type === type)) !== undefined,
      `${what}; the agent got ${JSON.stringify(frames.map((f) => f.type))}`,
      10_000,
    );
    if (!found) throw new Error(what);
    return found;
  };
  return { ws, frames, send, waitFor };
}

describe('issue 12 item 9: a Redis outage cuts a remote agent’s turn', () => {
  it('tells the agent to stop, and refuses its late events with a typed error that the relay logs', async () => {
    const token = 'agent-token-0123456789abcdef';
    const relay = await startRelay({ redisUrl: redis.url, agent: 'remote', agentToken: token });
    const agent = await connectAgent(relay, token);
    const { client } = await follow(relay.wsBase, 'f9');
    await client.waitFor(
      (fs) => fs.find((f) => (f.type === 'ready' || f.type === 'agent_state') && f.agent.online),
      'agent online',
    );
    client.send({ type: 'send', chat_id: 'f9', client_msg_id: 'c1', text: 'hello' });
    const turn = await agent.waitFor('turn', 'the agent gets the turn');
    const ids = { chat_id: 'f9', turn_id: turn.turn_id };
    agent.send({ type: 'delta', ...ids, text: 'before the outage' });
    await client.waitType('delta');

    await outage(relay);
    agent.send({ type: 'delta', ...ids, text: ' cannot be stored' });
    const stop = await agent.waitFor('stop', 'expected the agent to be told to stop the cut turn');
    expect(stop.turn_id).toBe(turn.turn_id);

    await redis.start();
    await client.waitClose(15_000);
    agent.send({ type: 'turn_end', ...ids, status: 'done' });
    const refused = await agent.waitFor('error', 'expected the late turn_end to be refused');
    expect({ code: refused.code, ref: refused.ref }).toEqual({ code: 'bad_state', ref: turn.turn_id });
    await until(
      () => relay.logs.some((l) => l.includes('not running') && l.includes(turn.turn_id)),
      'the relay logs the refused event',
    );
    agent.ws.close();
    await relay.close();
  });
});
