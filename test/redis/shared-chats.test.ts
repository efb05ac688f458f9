/** Two relays sharing chats through a real redis-server: order, resume and idempotency across relays, turns once, outages. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentEvent, type ChatEvent } from '../../shared/index.ts';
import { Transcript } from '../helpers/transcript.ts';
import type { Agent } from '../../relay/core/agent.ts';
import { DemoAgent } from '../../relay/agents/demo/demo-agent.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { startRedis, until, type TestRedis } from '../helpers/redis.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

let redis: TestRedis;
let a: TestRelay;
let b: TestRelay;
/** Turns each relay's demo agent ran, to prove every turn runs exactly once across relays. */
const runs = { a: 0, b: 0 };

function counted(key: 'a' | 'b'): Agent {
  const demo = new DemoAgent({ delayMs: 1 });
  return {
    info: () => demo.info(),
    history: (req) => demo.history(req),
    run(turn, signal): AsyncIterable<AgentEvent> {
      runs[key]++;
      return demo.run(turn, signal);
    },
  };
}

beforeAll(async () => {
  redis = await startRedis();
  a = await startRelay({ redisUrl: redis.url }, counted('a'));
  b = await startRelay({ redisUrl: redis.url }, counted('b'));
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

async function follow(relay: TestRelay, chatId: string, resume: { epoch?: string; after_seq?: number } = {}) {
  const client = await TestClient.connect(relay.wsBase);
  client.send({ type: 'subscribe', chat_id: chatId, ...resume });
  const sub = await client.waitType('subscribed', (s) => s.chat_id === chatId);
  return { client, sub };
}

function transcript(events: ChatEvent[]): Transcript {
  const t = new Transcript();
  for (const e of events) t.apply(e);
  return t;
}

describe('two relays on one Redis', () => {
  it('share one epoch', () => {
    expect(a.relay.epoch).toBe(b.relay.epoch);
    expect(a.relay.epoch).toMatch(/^[a-z0-9]+-[A-Za-z0-9_-]+$/);
  });

  it('give clients on either relay the same events in the same order, gap-free', async () => {
    const onA = (await follow(a, 'r-conv')).client;
    const onB = (await follow(b, 'r-conv')).client;
    await converse(onA, 'r-conv', '/tool', 'c1');
    await converse(onB, 'r-conv', 'hello from b', 'c2');
    const last = onB.events('r-conv').at(-1)?.seq;
    await onA.waitFor((fs) =>
      fs.some((f) => 'seq' in f && f.seq === last && f.type === 'turn_end') ? true : undefined,
    );
    expect(onA.events('r-conv')).toEqual(onB.events('r-conv'));
    const seqs = onA.events('r-conv').map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const t = transcript(onA.events('r-conv'));
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(t.messages[1]?.tools?.[0]?.status).toBe('done');
    onA.close();
    onB.close();
  });

  it('run each turn exactly once, whichever relay accepted it', async () => {
    const before = runs.a + runs.b;
    const onA = (await follow(a, 'r-once')).client;
    const onB = (await follow(b, 'r-once')).client;
    for (let i = 0; i < 3; i++) {
      onA.send({ type: 'send', chat_id: 'r-once', client_msg_id: `oa${i}`, text: `a${i}` });
      onB.send({ type: 'send', chat_id: 'r-once', client_msg_id: `ob${i}`, text: `b${i}` });
    }
    await onA.waitFor((fs) => (fs.filter((f) => f.type === 'turn_end').length === 6 ? true : undefined), '6 turns');
    expect(runs.a + runs.b - before).toBe(6);
    const events = onA.events('r-once');
    // Turns never overlap within a chat: each turn_start follows the previous turn_end.
    let open = 0;
    for (const e of events) {
      if (e.type === 'turn_start') open++;
      if (e.type === 'turn_end') open--;
      expect(open).toBeLessThanOrEqual(1);
    }
    expect(events.filter((e) => e.type === 'turn_start')).toHaveLength(6);
    onA.close();
    onB.close();
  });

  it('resume on the other relay after a disconnect mid-stream, ending with the same text as an uninterrupted run', async () => {
    const ref = (await follow(a, 'r-ref')).client;
    await converse(ref, 'r-ref', '/long 300', 'ref');
    const expected = transcript(ref.events('r-ref')).messages[1]?.text;
    ref.close();

    const first = (await follow(a, 'r-resume')).client;
    first.send({ type: 'send', chat_id: 'r-resume', client_msg_id: 'rr', text: '/long 300' });
    await first.waitFor((fs) => (fs.filter((f) => f.type === 'delta').length >= 30 ? true : undefined));
    first.ws.terminate();
    const seen = first.events('r-resume');
    const lastSeq = seen.at(-1)?.seq ?? 0;
    const { client: second, sub } = await follow(b, 'r-resume', { epoch: a.relay.epoch, after_seq: lastSeq });
    expect(sub.recovered).toBe(true);
    await second.waitType('turn_end');
    const resumed = second.events('r-resume');
    const t = transcript([...seen, ...resumed]);
    expect(t.messages[1]?.text).toBe(expected);
    expect(t.messages[1]?.status).toBe('done');
    second.close();
  });

  it('replay a finished turn as one message on the other relay', async () => {
    const onA = (await follow(a, 'r-compact')).client;
    await converse(onA, 'r-compact', '/long 200', 'rc');
    const live = transcript(onA.events('r-compact')).messages;
    onA.close();
    const { client: onB, sub } = await follow(b, 'r-compact', { epoch: a.relay.epoch, after_seq: 0 });
    expect(sub.recovered).toBe(true);
    await onB.waitFor((fs) => (fs.filter((f) => f.type === 'message').length === 2 ? true : undefined));
    expect(onB.events('r-compact').map((e) => e.type)).toEqual(['message', 'message']);
    expect(transcript(onB.events('r-compact')).messages.map((m) => m.text)).toEqual(live.map((m) => m.text));
    onB.close();
  });

  it('do not double a send retried on the other relay', async () => {
    const onA = (await follow(a, 'r-idem')).client;
    const first = await converse(onA, 'r-idem', 'once only', 'same');
    expect(first.status).toBe('done');
    const ackA = onA.frames.find((f) => f.type === 'ack');
    const onB = (await follow(b, 'r-idem')).client;
    onB.send({ type: 'send', chat_id: 'r-idem', client_msg_id: 'same', text: 'once only' });
    expect(await onB.waitType('ack')).toEqual(ackA);
    await new Promise((r) => setTimeout(r, 200));
    const messages = transcript(onB.events('r-idem')).messages;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    // No second turn started for the resend, on either relay.
    expect(onB.events('r-idem').filter((e) => e.type === 'turn_start')).toHaveLength(0);
    expect(onA.events('r-idem').filter((e) => e.type === 'turn_start')).toHaveLength(1);
    onA.close();
    onB.close();
  });

  it('stop a turn from the other relay and press a button once across relays', async () => {
    const onA = (await follow(a, 'r-stop')).client;
    const onB = (await follow(b, 'r-stop')).client;
    onA.send({ type: 'send', chat_id: 'r-stop', client_msg_id: 's1', text: '/slow' });
    await onB.waitType('delta');
    onB.send({ type: 'stop', chat_id: 'r-stop' });
    expect((await onA.waitType('turn_end')).status).toBe('stopped');

    await converse(onA, 'r-stop', '/buttons', 'btn');
    const withButtons = transcript(onA.events('r-stop')).messages.at(-1);
    const target = withButtons?.id ?? '';
    const from = onB.frames.length;
    onA.send({ type: 'action', chat_id: 'r-stop', client_msg_id: 'p1', message_id: target, action_id: 'yes' });
    onB.send({ type: 'action', chat_id: 'r-stop', client_msg_id: 'p2', message_id: target, action_id: 'yes' });
    const answers = await onB.waitFor((fs) => {
      const mine = fs
        .slice(from)
        .find(
          (f) =>
            (f.type === 'ack' || f.type === 'error') && (f.type === 'ack' ? f.client_msg_id === 'p2' : f.ref === 'p2'),
        );
      return mine;
    });
    const accepted = (await onA.waitFor((fs) =>
      fs.find((f) => (f.type === 'ack' && f.client_msg_id === 'p1') || (f.type === 'error' && f.ref === 'p1')),
    ))!;
    // Exactly one of the two presses was accepted.
    expect([answers.type, accepted.type].sort()).toEqual(['ack', 'error']);
    await onA.waitFor((fs) =>
      fs.filter((f) => f.type === 'action_used').length === 1 && fs.filter((f) => f.type === 'turn_end').length === 3
        ? true
        : undefined,
    );
    onA.close();
    onB.close();
  });
});

describe('a Redis outage', () => {
  it('keeps relays up, reports degraded, refuses sends with a typed error, and loses nothing accepted', async () => {
    const { client: onA } = await follow(a, 'r-outage');
    await converse(onA, 'r-outage', 'before the outage', 'o1');
    const before = transcript(onA.events('r-outage')).messages;
    const epoch = a.relay.epoch;
    const lastSeq = onA.events('r-outage').at(-1)?.seq ?? 0;

    await redis.stop();
    for (let i = 0; i < 50 && a.relay.health().status === 'ok'; i++) await new Promise((r) => setTimeout(r, 100));
    const health = (await (await fetch(`${a.httpBase}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('degraded');
    onA.send({ type: 'send', chat_id: 'r-outage', client_msg_id: 'o2', text: 'during the outage' });
    const refused = await onA.waitType('error', (e) => e.ref === 'o2');
    expect(refused.code).toBe('storage_unavailable');

    await redis.start();
    // Every client is asked to resume once Redis is back.
    expect(await onA.waitClose(15_000)).toBe(1012);
    for (let i = 0; i < 50 && a.relay.health().status !== 'ok'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(a.relay.health().status).toBe('ok');
    expect(a.relay.epoch).toBe(epoch);
    // Relay B closes its clients once it has recovered too; follow there only after that.
    await until(() => b.logs.some((l) => l.includes('redis recovered')), 'relay B recovered');

    const { client: again, sub } = await follow(b, 'r-outage', { epoch, after_seq: 0 });
    expect(sub.recovered).toBe(true);
    expect(sub.head_seq).toBe(lastSeq);
    await again.waitFor((fs) => (fs.filter((f) => f.type === 'message').length === 2 ? true : undefined));
    expect(transcript(again.events('r-outage')).messages.map((m) => m.text)).toEqual(before.map((m) => m.text));
    // The message refused during the outage is accepted on retry, exactly once.
    expect((await converse(again, 'r-outage', 'during the outage', 'o2')).status).toBe('done');
    again.close();
  });
});

describe('a remote agent on one relay', () => {
  it('serves clients connected to the other relay, who see it online', async () => {
    const token = 'agent-token-0123456789abcdef';
    const ra = await startRelay({ redisUrl: redis.url, agent: 'remote', agentToken: token });
    const rb = await startRelay({ redisUrl: redis.url, agent: 'remote', agentToken: token });
    const { default: WebSocket } = await import('ws');
    const agent = new WebSocket(`${ra.wsBase}/agent`, { headers: { authorization: `Bearer ${token}` } });
    agent.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; chat_id: string; turn_id: string };
      if (frame.type !== 'turn') return;
      agent.send(
        JSON.stringify({
          type: 'delta',
          chat_id: frame.chat_id,
          turn_id: frame.turn_id,
          text: 'served by the agent on relay A',
        }),
      );
      agent.send(JSON.stringify({ type: 'turn_end', chat_id: frame.chat_id, turn_id: frame.turn_id, status: 'done' }));
    });
    await new Promise((resolve) => agent.once('open', resolve));
    agent.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'Far agent', capabilities: ['markdown'] }));

    const onB = await TestClient.connect(rb.wsBase);
    await onB.waitFor(
      (fs) => fs.find((f) => (f.type === 'ready' && f.agent.online) || (f.type === 'agent_state' && f.agent.online)),
      'agent online on relay B',
    );
    onB.send({ type: 'subscribe', chat_id: 'r-remote' });
    await onB.waitType('subscribed');
    const end = await converse(onB, 'r-remote', 'hello across relays', 'x1');
    expect(end.status).toBe('done');
    const reply = transcript(onB.events('r-remote')).messages[1];
    expect(reply?.text).toBe('served by the agent on relay A');
    agent.close();
    onB.close();
    await ra.close();
    await rb.close();
  });
});
