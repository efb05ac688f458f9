/** Coalesced delivery (`--coalesce-ms`) on both backends: one frame for a turn's output, each seq once, the same message. */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseRelayFrame, type AgentEvent, type EventsFrame } from '../../shared/index.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { Gate, inputText, ScriptedAgent } from '../helpers/scripted-agent.ts';
import { Transcript } from '../helpers/transcript.ts';
import { BACKENDS, exchange, follower, stopBackends } from './backends.ts';

/** Long enough that nothing but the turn's own course (its end, a subscribe) sends what waits. */
const NEVER_MS = 60_000;

const open: { relays: TestRelay[]; clients: TestClient[] } = { relays: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const r of open.relays.splice(0)) await r.close();
});
afterAll(stopBackends);

/** `full` uses every kind of turn output, with runs of deltas to merge; `gate` streams, waits for `release`, streams on. */
function agent(reached: Gate, release: Gate): ScriptedAgent {
  return new ScriptedAgent(async function* (turn): AsyncGenerator<AgentEvent> {
    if (inputText(turn) === 'gate') {
      yield { type: 'delta', text: 'one ' };
      // A later tick: "one " has left alone, and "two " waits out the window when the late client subscribes.
      await new Promise((resolve) => setTimeout(resolve, 5));
      yield { type: 'delta', text: 'two ' };
      reached.open();
      await release.opened;
      yield { type: 'delta', text: 'three' };
      return;
    }
    yield { type: 'typing', active: true };
    yield { type: 'reasoning_delta', text: 'think' };
    yield { type: 'reasoning_delta', text: 'ing 🤔' };
    yield { type: 'delta', text: 'Hé' };
    yield { type: 'delta', text: 'llo 👋🏽 ' };
    yield { type: 'delta', text: '' };
    yield { type: 'tool_call', call_id: 'c1', name: 'add', arguments: '{"a":1}' };
    yield { type: 'tool_output', call_id: 'c1', text: 'out' };
    yield { type: 'tool_result', call_id: 'c1', status: 'done', result: '2' };
    yield { type: 'delta', text: 'world' };
    yield { type: 'buttons', buttons: [[{ id: 'ok', label: 'OK' }]] };
    yield { type: 'file', attachment: { id: 'f1', name: 'a.txt', mime: 'text/plain', size: 2, data: 'aGk=' } };
    yield { type: 'delta', text: '!' };
  });
}

function eventsFrames(client: TestClient): EventsFrame[] {
  return client.wire.flatMap((raw) => {
    const parsed = parseRelayFrame(raw);
    return parsed.ok && parsed.value.type === 'events' ? [parsed.value] : [];
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The seqs from `from` to `to` that frames on the wire carried, in order, a packed frame counting for each of its seqs. */
function coveredSeqs(wire: string[], from: number, to: number): number[] {
  return wire.flatMap((raw) => {
    const parsed = parseRelayFrame(raw);
    if (!parsed.ok || !('seq' in parsed.value) || parsed.value.type === 'ack') return [];
    const f = parsed.value;
    return range(f.seq, f.type === 'events' ? f.last_seq : f.seq).filter((s) => s >= from && s <= to);
  });
}

describe.each(Object.entries(BACKENDS))('coalesced delivery (%s)', (name, startBackend) => {
  let chats = 0;
  async function setUp(coalesceMs: number) {
    const reached = new Gate();
    const release = new Gate();
    const relay = await startBackend({ coalesceMs }, agent(reached, release));
    open.relays.push(relay);
    const chat = `coalesce-${name}-${++chats}-${Date.now()}`;
    const follow = async (resume: { epoch?: string; after_seq?: number } = {}) => {
      const f = await follower(relay, chat, resume);
      open.clients.push(f.client);
      return f;
    };
    return { chat, reached, release, follow, ...(await follow()) };
  }

  it("sends a turn's output as one frame, and the client's fold of it gives the message the relay compacted", async () => {
    const coalesced = await setUp(NEVER_MS);
    const { start, end } = await exchange(coalesced.client, coalesced.chat, 'full', 'm-1');
    // How the output splits into frames depends on when it arrives; every seq of the turn travels exactly once.
    const frames = eventsFrames(coalesced.client);
    expect(frames.length).toBeGreaterThan(0);
    expect(coveredSeqs(coalesced.client.wire, start.seq, end.seq)).toEqual(range(start.seq, end.seq));
    expect(frames.flatMap((f) => f.events).some((e) => e.type === 'delta' && e.parts !== undefined)).toBe(true);

    const live = new Transcript();
    for (const e of coalesced.client.events(coalesced.chat)) expect(live.apply(e)).toBe(true);
    const { replay } = await coalesced.follow();
    const compacted = replay.find((e) => e.type === 'message' && e.message.id === start.message_id);
    // A fold from events alone has no creation time (the app stamps its own): everything else must agree.
    const live0 = { ...live.get(start.message_id), created_at: 0 };
    expect(compacted?.type === 'message' && { ...compacted.message, created_at: 0 }).toEqual(live0);
    expect(live.get(start.message_id)).toMatchObject({ text: 'Héllo 👋🏽 world!', reasoning: 'thinking 🤔' });

    // The same stream with coalescing off: one frame per event, and the same message.
    const single = await setUp(0);
    const other = await exchange(single.client, single.chat, 'full', 'm-1');
    expect(eventsFrames(single.client)).toEqual([]);
    const perEvent = new Transcript();
    for (const e of single.client.events(single.chat)) perEvent.apply(e);
    const same = (id: string, t: Transcript) => ({ ...t.get(id), id: '', turn_id: '', created_at: 0 });
    expect(same(other.start.message_id, perEvent)).toEqual(same(start.message_id, live));
  });

  it('gives a client that resumes inside a coalesced range each later seq once, with no gap', async () => {
    const { chat, client, subscribed, reached, release, follow } = await setUp(NEVER_MS);
    client.send({ type: 'send', chat_id: chat, client_msg_id: 'm-1', text: 'gate' });
    const start = await client.waitType('turn_start');
    await reached.opened;
    // "two " is logged but waits to be sent; this client says it has "one " already.
    const late = await follow({ epoch: subscribed.epoch, after_seq: start.seq + 1 });
    release.open();
    const end = await late.client.waitType('turn_end');
    await client.waitType('turn_end');
    expect(late.client.events(chat).map((e) => e.seq)).toEqual(range(start.seq + 2, end.seq));
    expect(client.events(chat).map((e) => e.seq)).toEqual(range(1, end.seq));
    const texts = late.client.events(chat).flatMap((e) => (e.type === 'delta' ? [e.text] : []));
    expect(texts).toEqual(['two ', 'three']);
  });
});
