/** Every demo command's reply, folded live by the client and replayed compacted by the relay, is the same message. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent, ChatMessage } from '../../shared/index.ts';
import { applyEvent, type ChatLive } from '../../client/state/apply-event.ts';
import type { LocalMessage, StoredAttachment } from '../../client/state/types.ts';
import { converse, follow, type TestClient } from '../helpers/client.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { ScriptedAgent } from '../helpers/scripted-agent.ts';
import { Transcript } from '../helpers/transcript.ts';

/** A tool the agent never finishes: the turn ends with the call still running. */
function openTool(): ScriptedAgent {
  return new ScriptedAgent(async function* () {
    yield { type: 'tool_call', call_id: 'c1', name: 'lookup', arguments: '{}' };
    yield { type: 'tool_output', call_id: 'c1', text: 'half of it' };
    yield { type: 'delta', text: 'I gave up waiting for the tool.' };
  });
}

/** Both backends compact a turn: in process, and in Redis (a Lua script stores the message the runner built). */
const backends: Record<string, { demo?: TestRelay; scripted?: TestRelay }> = { 'in-process': {}, redis: {} };
let redis: TestRedis | undefined;
beforeAll(async () => {
  redis = await startRedis();
  backends['in-process'] = { demo: await startRelay(), scripted: await startRelay({}, openTool()) };
  backends.redis = {
    demo: await startRelay({ redisUrl: redis.url }),
    scripted: await startRelay({ redisUrl: redis.url }, openTool()),
  };
});
afterAll(async () => {
  for (const { demo, scripted } of Object.values(backends)) {
    await demo?.close();
    await scripted?.close();
  }
  await redis?.stop();
});

function relayOf(backend: string, which: 'demo' | 'scripted'): TestRelay {
  const relay = backends[backend]?.[which];
  if (!relay) throw new Error(`no ${which} relay for ${backend}`);
  return relay;
}

/** What the client's cache holds after folding `events`, without what only this device knows. */
async function clientFold(events: ChatEvent[]) {
  const live: ChatLive = { messages: new Map(), typing: false };
  const blobs: StoredAttachment[] = [];
  for (const event of events) blobs.push(...applyEvent(live, event).blobs);
  const messages = [...live.messages.values()].map(({ epoch: _e, seq: _s, ...m }: LocalMessage) =>
    // A reply's place in time is the client's own (it is placed when first seen); a user's is the relay's.
    m.role === 'assistant' ? { ...m, created_at: 0 } : m,
  );
  const files = await Promise.all(
    blobs.map(async ({ blob, ...meta }) => ({
      ...meta,
      type: blob.type,
      bytes: [...new Uint8Array(await blob.arrayBuffer())],
    })),
  );
  return { messages, files };
}

/** The tests' oracle over the same events. */
function oracleFold(events: ChatEvent[]): ChatMessage[] {
  const t = new Transcript();
  for (const event of events) t.apply(event);
  return t.messages.map((m) => (m.role === 'assistant' ? { ...m, created_at: 0 } : m));
}

/** Everything a fresh subscriber is replayed, up to the head the relay announced. */
async function replayOf(base: string, chatId: string): Promise<ChatEvent[]> {
  const { client, sub } = await follow(base, chatId);
  await client.waitFor(() =>
    sub.head_seq === 0 || client.events(chatId).at(-1)?.seq === sub.head_seq ? true : undefined,
  );
  client.close();
  return client.events(chatId);
}

/** Folds the live stream and the compacted replay both ways and requires the same messages. */
async function expectSameBothWays(base: string, chatId: string, live: TestClient): Promise<ChatMessage[]> {
  const streamed = live.events(chatId);
  const replayed = await replayOf(base, chatId);
  // The replay really is compacted: no turn output left in it.
  expect(replayed.filter((e) => e.type === 'delta' || e.type === 'tool_call')).toEqual([]);
  expect(await clientFold(replayed)).toEqual(await clientFold(streamed));
  expect(oracleFold(replayed)).toEqual(oracleFold(streamed));
  live.close();
  return oracleFold(replayed);
}

/** Each demo command, as a user would drive it (some need a step before or after). */
const COMMANDS: Record<string, (client: TestClient, chatId: string) => Promise<void>> = {
  markdown: async (c, id) => void (await converse(c, id, 'hello **there**, relay', 'u1')),
  help: async (c, id) => void (await converse(c, id, '/help', 'u1')),
  reasoning: async (c, id) => void (await converse(c, id, '/reasoning', 'u1')),
  tool: async (c, id) => void (await converse(c, id, '/tool', 'u1')),
  image: async (c, id) => void (await converse(c, id, '/image', 'u1')),
  file: async (c, id) => void (await converse(c, id, '/file', 'u1')),
  typing: async (c, id) => void (await converse(c, id, '/typing', 'u1')),
  long: async (c, id) => void (await converse(c, id, '/long 300', 'u1')),
  error: async (c, id) => void (await converse(c, id, '/error', 'u1')),
  tour: async (c, id) => void (await converse(c, id, '/tour', 'u1')),
  model: async (c, id) => void (await converse(c, id, '/model no-such-model', 'u1')),
  edit: async (c, id) => {
    await converse(c, id, 'first', 'u1');
    await converse(c, id, '/edit', 'u2');
  },
  buttons: async (c, id) => {
    await converse(c, id, '/buttons', 'u1');
    const withButtons = c.events(id).find((e) => e.type === 'buttons');
    const from = c.frames.length;
    c.send({
      type: 'action',
      chat_id: id,
      client_msg_id: 'p1',
      message_id: withButtons?.message_id ?? '',
      action_id: 'yes',
    });
    await c.waitType('turn_end', () => true, from);
  },
  slow: async (c, id) => {
    const from = c.frames.length;
    c.send({ type: 'send', chat_id: id, client_msg_id: 'u1', text: '/slow' });
    const first = await c.waitType('delta', () => true, from);
    c.send({ type: 'stop', chat_id: id, turn_id: first.turn_id });
    await c.waitType('turn_end', (e) => e.status === 'stopped', from);
  },
};

describe.each(Object.keys(backends))('one reducer for live and compacted replies (%s)', (backend) => {
  for (const [name, drive] of Object.entries(COMMANDS)) {
    it(`folds the demo's ${name} reply the same live and replayed`, async () => {
      const base = relayOf(backend, 'demo').wsBase;
      const chatId = `reduce-${name}`;
      const { client } = await follow(base, chatId);
      await drive(client, chatId);
      const messages = await expectSameBothWays(base, chatId, client);
      expect(messages.filter((m) => m.role === 'assistant').every((m) => m.status !== undefined)).toBe(true);
    });
  }

  it('closes a tool left running at the end of its turn, in the compacted reply too', async () => {
    const base = relayOf(backend, 'scripted').wsBase;
    const { client } = await follow(base, 'reduce-open-tool');
    await converse(client, 'reduce-open-tool', 'look it up', 'u1');
    const [, reply] = await expectSameBothWays(base, 'reduce-open-tool', client);
    expect(reply?.tools).toEqual([
      { call_id: 'c1', name: 'lookup', arguments: '{}', output: 'half of it', status: 'error' },
    ]);
  });
});
