/** An agent process on the agent endpoint: handshake, turns, stop, history, state, disconnect mid-turn. */

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRelayToAgentFrame, type AgentToRelayFrame, type RelayToAgentFrame } from '../../shared/index.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const AGENT_TOKEN = 'agent-token-0123456789abcdef';
let relay: TestRelay;
beforeAll(async () => {
  relay = await startRelay({ agent: 'remote', agentToken: AGENT_TOKEN });
});
afterAll(() => relay.close());

/** A scripted agent process speaking the wire protocol with a plain `ws` socket. */
class FakeAgent {
  readonly frames: RelayToAgentFrame[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const parsed = parseRelayToAgentFrame(d.toString());
      if (!parsed.ok) throw new Error(parsed.error.message);
      this.frames.push(parsed.value);
      this.onFrame?.(parsed.value);
    });
  }
  onFrame: ((f: RelayToAgentFrame) => void) | undefined;

  static async connect(hello = true): Promise<FakeAgent> {
    const ws = new WebSocket(`${relay.wsBase}/agent`, { headers: { authorization: `Bearer ${AGENT_TOKEN}` } });
    // Listen before the socket opens: the relay's welcome can arrive in the same tick as the open.
    const agent = new FakeAgent(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    if (hello)
      agent.send({ type: 'hello', protocol: 1, name: 'Echo', capabilities: ['markdown', 'stop'], models: ['e-1'] });
    return agent;
  }

  send(frame: AgentToRelayFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  async waitFor<T extends RelayToAgentFrame['type']>(type: T): Promise<Extract<RelayToAgentFrame, { type: T }>> {
    for (let i = 0; i < 200; i++) {
      const f = this.frames.find((x): x is Extract<RelayToAgentFrame, { type: T }> => x.type === type);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`agent never got ${type}`);
  }
}

async function client(chatId: string) {
  const c = await TestClient.connect(relay.wsBase);
  c.send({ type: 'subscribe', chat_id: chatId });
  await c.waitType('subscribed');
  return c;
}

describe('remote agent', () => {
  it('ends a turn with an error the user understands while no agent is connected', async () => {
    const c = await client('ra-offline');
    expect((c.frames[0] as { agent: { online: boolean } }).agent.online).toBe(false);
    const end = await converse(c, 'ra-offline', 'anyone?', 'o-1');
    expect(end).toMatchObject({ status: 'error', error: expect.stringContaining('not connected') });
    c.close();
  });

  it('answers history with agent_unavailable while no agent is connected', async () => {
    const c = await client('ra-hist');
    c.send({ type: 'history', chat_id: 'ra-hist', request_id: 'h1' });
    expect(await c.waitType('error')).toMatchObject({ code: 'agent_unavailable', ref: 'h1', chat_id: 'ra-hist' });
    c.close();
  });

  it('serves chats: announces itself, receives turns with context, streams events, ends turns', async () => {
    const c = await client('ra-1');
    const agent = await FakeAgent.connect();
    expect((await agent.waitFor('welcome')).protocol).toBe(1);
    const state = await c.waitType('agent_state');
    expect(state.agent).toMatchObject({ name: 'Echo', online: true, models: ['e-1'] });
    agent.onFrame = (f) => {
      if (f.type !== 'turn' || f.input.kind !== 'message') return;
      const text = f.input.message.text;
      for (const piece of ['echo: ', text])
        agent.send({ type: 'delta', chat_id: f.chat_id, turn_id: f.turn_id, text: piece });
      agent.send({ type: 'turn_end', chat_id: f.chat_id, turn_id: f.turn_id, status: 'done' });
    };
    c.send({
      type: 'send',
      chat_id: 'ra-1',
      client_msg_id: 'x1',
      text: 'ping',
      context: [{ role: 'user', text: 'before' }],
    });
    const end = await c.waitType('turn_end');
    expect(end.status).toBe('done');
    const turn = await agent.waitFor('turn');
    expect(turn.context).toEqual([{ role: 'user', text: 'before' }]);
    const text = c
      .events('ra-1')
      .flatMap((e) => (e.type === 'delta' ? [e.text] : []))
      .join('');
    expect(text).toBe('echo: ping');
    agent.ws.close();
    c.close();
  });

  it('forwards stop to the agent and ends the turn as stopped', async () => {
    const c = await client('ra-stop');
    const agent = await FakeAgent.connect();
    await c.waitType('agent_state', (s) => s.agent.online);
    c.send({ type: 'send', chat_id: 'ra-stop', client_msg_id: 's1', text: 'long' });
    const turn = await agent.waitFor('turn');
    agent.send({ type: 'delta', chat_id: 'ra-stop', turn_id: turn.turn_id, text: 'partial' });
    await c.waitType('delta');
    c.send({ type: 'stop', chat_id: 'ra-stop' });
    expect((await agent.waitFor('stop')).turn_id).toBe(turn.turn_id);
    expect((await c.waitType('turn_end')).status).toBe('stopped');
    agent.ws.close();
    c.close();
  });

  it('ends a turn with an error when the agent disconnects mid-turn, and serves again after it reconnects', async () => {
    const c = await client('ra-drop');
    const first = await FakeAgent.connect();
    await c.waitType('agent_state', (s) => s.agent.online);
    c.send({ type: 'send', chat_id: 'ra-drop', client_msg_id: 'd1', text: 'hi' });
    const turn = await first.waitFor('turn');
    first.send({ type: 'delta', chat_id: 'ra-drop', turn_id: turn.turn_id, text: 'half' });
    await c.waitType('delta');
    first.ws.terminate();
    const end = await c.waitType('turn_end');
    expect(end).toMatchObject({ status: 'error', error: expect.stringContaining('disconnected') });
    await c.waitType('agent_state', (s) => !s.agent.online);

    const second = await FakeAgent.connect();
    second.onFrame = (f) => {
      if (f.type === 'turn') second.send({ type: 'turn_end', chat_id: f.chat_id, turn_id: f.turn_id, status: 'done' });
    };
    const from = c.frames.length;
    await c.waitType('agent_state', (s) => s.agent.online, from);
    expect((await converse(c, 'ra-drop', 'again', 'd2')).status).toBe('done');
    second.ws.close();
    c.close();
  });

  it('answers an agent that skips hello or speaks another protocol version with typed errors', async () => {
    const agent = await FakeAgent.connect(false);
    agent.send({ type: 'delta', chat_id: 'x', turn_id: 't', text: 'too early' });
    expect((await agent.waitFor('error')).code).toBe('bad_state');
    agent.frames.length = 0;
    agent.send({ type: 'hello', protocol: 2, name: 'Future', capabilities: [] });
    expect((await agent.waitFor('error')).code).toBe('protocol_version');
    agent.frames.length = 0;
    agent.ws.send('{"type":"hello"');
    expect((await agent.waitFor('error')).code).toBe('bad_json');
    agent.ws.close();
  });
});

describe('a library agent without history', () => {
  it('answers history with history_unsupported (after subscribing, like every chat request)', async () => {
    const plain = await startRelay(
      {},
      { info: () => ({ name: 'Plain', capabilities: [], online: true }), async *run() {} },
    );
    const c = await TestClient.connect(plain.wsBase);
    c.send({ type: 'history', chat_id: 'p', request_id: 'h1' });
    expect(await c.waitType('error')).toMatchObject({ code: 'not_subscribed', ref: 'h1' });
    c.send({ type: 'subscribe', chat_id: 'p' });
    c.send({ type: 'history', chat_id: 'p', request_id: 'h2' });
    expect(await c.waitType('error', (e) => e.ref === 'h2')).toMatchObject({ code: 'history_unsupported' });
    c.close();
    await plain.close();
  });
});

describe('a library agent that throws', () => {
  it('shows the user a generic failure and keeps the detail in the log', async () => {
    const broken = await startRelay(
      {},
      {
        info: () => ({ name: 'Broken', capabilities: [], online: true }),
        async *run() {
          yield { type: 'delta', text: 'a' };
          throw new Error('ECONNREFUSED 10.0.0.7:5432 password=hunter2');
        },
      },
    );
    const c = await TestClient.connect(broken.wsBase);
    c.send({ type: 'subscribe', chat_id: 'b' });
    await c.waitType('subscribed');
    const end = await converse(c, 'b', 'hi', 'b1');
    expect(end.status).toBe('error');
    expect(end.error).toContain('failed unexpectedly');
    expect(end.error).not.toContain('hunter2');
    expect(broken.logs.some((l) => l.includes('turn failed') && l.includes('ECONNREFUSED'))).toBe(true);
    c.close();
    await broken.close();
  });
});

describe('agent replaced mid-turn, and stop', () => {
  it('ends the turns of a replaced connection with an error and serves through the new one', async () => {
    const c = await client('ra-replace');
    const first = await FakeAgent.connect();
    await c.waitType('agent_state', (s) => s.agent.online);
    c.send({ type: 'send', chat_id: 'ra-replace', client_msg_id: 'r1', text: 'hi' });
    await first.waitFor('turn');
    const second = await FakeAgent.connect();
    second.onFrame = (f) => {
      if (f.type === 'turn') second.send({ type: 'turn_end', chat_id: f.chat_id, turn_id: f.turn_id, status: 'done' });
    };
    const end = await c.waitType('turn_end');
    expect(end).toMatchObject({ status: 'error', error: expect.stringContaining('replaced') });
    expect((await converse(c, 'ra-replace', 'again', 'r2')).status).toBe('done');
    second.ws.close();
    c.close();
  });

  it('frees a stopped turn at once and refuses late frames for it', async () => {
    const c = await client('ra-late');
    const agent = await FakeAgent.connect();
    await c.waitType('agent_state', (s) => s.agent.online);
    c.send({ type: 'send', chat_id: 'ra-late', client_msg_id: 'l1', text: 'hi' });
    const turn = await agent.waitFor('turn');
    c.send({ type: 'stop', chat_id: 'ra-late' });
    expect((await c.waitType('turn_end')).status).toBe('stopped');
    await agent.waitFor('stop');
    agent.send({ type: 'delta', chat_id: 'ra-late', turn_id: turn.turn_id, text: 'late' });
    expect((await agent.waitFor('error')).code).toBe('bad_state');
    expect(c.events('ra-late').filter((e) => e.type === 'delta')).toHaveLength(0);
    agent.ws.close();
    c.close();
  });
});
