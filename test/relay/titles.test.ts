/** The agent's `title` event: relayed to the chat's clients on both backends, once per chat from the demo, checked. */

import { describe, expect, it } from 'vitest';
import type { Agent } from '../../relay/core/agent.ts';
import type { AgentEvent } from '../../shared/index.ts';
import { converse, follow, type TestClient } from '../helpers/client.ts';
import { BACKEND_NAMES, demoRelaysOnBothBackends } from '../helpers/both-backends.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const relayOf = demoRelaysOnBothBackends();

async function subscribed(relay: TestRelay, chatId: string): Promise<TestClient> {
  return (await follow(relay.wsBase, chatId)).client;
}

const titles = (client: TestClient, chat: string) =>
  client.events(chat).flatMap((e) => (e.type === 'title' ? [e.title] : []));

describe.each(BACKEND_NAMES)('title event (%s backend)', (backend) => {
  it('the demo names the chat after its first reply, and only then', async () => {
    const relay = relayOf(backend);
    const chat = `titles-${backend}`;
    const client = await subscribed(relay, chat);
    const end = await converse(client, chat, 'plan a trip to Lisbon', 'q-1');
    expect(end.status).toBe('done');
    expect(titles(client, chat)).toEqual(['Demo: plan a trip to Lisbon']);
    await converse(client, chat, 'and then Porto', 'q-2');
    expect(titles(client, chat)).toEqual(['Demo: plan a trip to Lisbon']);
    client.close();
  });
});

describe('a bad title', () => {
  it('ends the turn with an error, keeps what came before, and the connection stays usable', async () => {
    const bad: Agent = {
      info: () => ({ name: 'bad-title', capabilities: [], models: [], online: true }),
      async *run(): AsyncGenerator<AgentEvent> {
        yield { type: 'delta', text: 'hello' };
        yield { type: 'title', title: 'x'.repeat(500) };
      },
    };
    const relay = await startRelay({}, bad);
    try {
      const client = await subscribed(relay, 'bad-title');
      const end = await converse(client, 'bad-title', 'hi', 'q-1');
      expect(end.status).toBe('error');
      expect(end.error).toContain('chat title');
      expect(titles(client, 'bad-title')).toEqual([]);
      client.send({ type: 'ping' });
      await client.waitType('pong');
      client.close();
    } finally {
      await relay.close();
    }
  });
});
