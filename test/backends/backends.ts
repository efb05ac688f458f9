/** The backends the contract suite runs against — one factory each — and the scripted agent its cases drive. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, ChatEvent, ChatMessage, RelayFrame, SendFrame } from '../../shared/index.ts';
import type { RelayConfig } from '../../relay/config.ts';
import { TestClient } from '../helpers/client.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { inputText, ScriptedAgent } from '../helpers/scripted-agent.ts';

/** Starts a real relay on loopback over one backend. */
export type StartBackend = (
  config: Partial<RelayConfig>,
  agent: ScriptedAgent,
  now?: () => number,
) => Promise<TestRelay>;

let redis: TestRedis | undefined;

/**
 * Each as a relay runs by default: in process with its own data directory (`--data-dir`, removed when the relay
 * closes), or on Redis.
 */
export const BACKENDS: Record<'in-process' | 'redis', StartBackend> = {
  'in-process': async (config, agent, now) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-contract-'));
    const relay = await startRelay({ dataDir, ...config }, agent, now);
    return { ...relay, close: () => relay.close().finally(() => rmSync(dataDir, { recursive: true, force: true })) };
  },
  redis: async (config, agent, now) => {
    redis ??= await startRedis();
    return startRelay({ ...config, redisUrl: redis.url }, agent, now);
  },
};

export async function stopBackends(): Promise<void> {
  await redis?.stop();
  redis = undefined;
}

/**
 * What the agent does for a message, by its text: `stall` streams a little, opens a tool and waits to be stopped;
 * `tool` opens a tool and ends without finishing it; `buttons` offers two buttons; `full` uses every part of a
 * message; anything else is answered with one delta.
 */
export function contractAgent(): ScriptedAgent {
  return new ScriptedAgent(async function* (turn, signal): AsyncGenerator<AgentEvent> {
    const text = inputText(turn);
    if (turn.input.kind === 'action') {
      yield { type: 'delta', text: `pressed ${turn.input.label}` };
    } else if (text === 'stall') {
      yield { type: 'delta', text: 'working' };
      yield { type: 'tool_call', call_id: 'c1', name: 'search', arguments: '{}' };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    } else if (text === 'tool') {
      yield { type: 'tool_call', call_id: 'c1', name: 'search', arguments: '{"q":"x"}' };
      yield { type: 'tool_output', call_id: 'c1', text: 'half' };
      yield { type: 'delta', text: 'gave up' };
    } else if (text === 'buttons') {
      yield { type: 'delta', text: 'pick one' };
      yield {
        type: 'buttons',
        buttons: [
          [
            { id: 'yes', label: 'Yes' },
            { id: 'no', label: 'No' },
          ],
        ],
      };
    } else if (text === 'full') {
      yield { type: 'reasoning_delta', text: 'think' };
      yield { type: 'reasoning_delta', text: 'ing' };
      yield { type: 'delta', text: 'Hello ' };
      yield { type: 'tool_call', call_id: 'c1', name: 'add', arguments: '{"a":1}' };
      yield { type: 'tool_output', call_id: 'c1', text: 'out' };
      yield { type: 'tool_result', call_id: 'c1', status: 'done', result: '2' };
      yield { type: 'delta', text: 'world' };
    } else {
      yield { type: 'delta', text: `re: ${text}` };
    }
  });
}

/** A client following one chat of a relay, and the replay it was given (everything up to a ping's pong). */
export async function follower(relay: TestRelay, chatId: string, resume: { epoch?: string; after_seq?: number } = {}) {
  const client = await TestClient.connect(relay.wsBase);
  client.send({ type: 'subscribe', chat_id: chatId, ...resume });
  client.send({ type: 'ping', nonce: 'replayed' });
  await client.waitType('pong');
  const subscribed = await client.waitType('subscribed', (s) => s.chat_id === chatId);
  return { client, subscribed, replay: client.events(chatId) };
}

/** Sends one frame and waits for its answer (the ack or error that names `ref`). */
export async function request(client: TestClient, frame: Parameters<TestClient['send']>[0], ref: string) {
  const from = client.frames.length;
  client.send(frame);
  return client.waitFor(
    (fs) =>
      fs
        .slice(from)
        .find(
          (f): f is Extract<RelayFrame, { type: 'ack' | 'error' }> =>
            (f.type === 'ack' && f.client_msg_id === ref) || (f.type === 'error' && f.ref === ref),
        ),
    `answer to ${ref}`,
  );
}

/** Sends `text` and waits for the turn it starts to end; returns the ack and the turn's end. */
export async function exchange(
  client: TestClient,
  chatId: string,
  text: string,
  clientMsgId: string,
  frame: SendFrame = { type: 'send', chat_id: chatId, client_msg_id: clientMsgId, text },
) {
  const from = client.frames.length;
  const ack = await request(client, frame, clientMsgId);
  if (ack.type !== 'ack') throw new Error(`send refused: ${ack.message}`);
  const start = await client.waitType('turn_start', (t) => t.reply_to === ack.message_id, from);
  const end = await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
  return { ack, start, end };
}

/** The whole messages a replay carries, by id, and whether it carried anything else. */
export function replayedMessages(events: ChatEvent[]): { messages: ChatMessage[]; others: string[] } {
  const messages: ChatMessage[] = [];
  const others: string[] = [];
  for (const e of events) {
    if (e.type === 'message') messages.push(e.message);
    else others.push(e.type);
  }
  return { messages, others };
}
