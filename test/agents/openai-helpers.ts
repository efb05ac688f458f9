/** Shared set-up for the openai agent suites: a fake OpenAI server, a real relay with the agent, a client. */

import { type HumanAnswer, type SendFrame } from '../../shared/index.ts';
import { Transcript } from '../helpers/transcript.ts';
import { OpenAIAgent, type OpenAIAgentOptions } from '../../relay/agents/openai/openai-agent.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { FakeOpenAI } from './fake-openai.ts';

export const API_KEY = 'sk-proj-test-0123456789abcdefXYZ';

export interface OpenAIRig {
  fake: FakeOpenAI;
  relay: TestRelay;
  client: TestClient;
  /** Log lines of the agent and the relay together. */
  logs: string[];
  close(): Promise<void>;
}

export async function startRig(options: Partial<OpenAIAgentOptions> = {}, fake?: FakeOpenAI): Promise<OpenAIRig> {
  const server = fake ?? (await FakeOpenAI.start());
  const logs: string[] = [];
  const agent = new OpenAIAgent({
    baseUrl: server.baseUrl,
    apiKey: API_KEY,
    model: undefined,
    systemPrompt: undefined,
    contextChars: 10_000,
    // The title request is a second completion; only the title tests script an answer for it.
    titleModel: 'off',
    logger: createLogger('debug', (line) => logs.push(line)),
    ...options,
  });
  const relay = await startRelay({}, agent);
  const client = await TestClient.connect(relay.wsBase);
  return {
    fake: server,
    relay,
    client,
    logs,
    close: async () => {
      client.close();
      await relay.close();
      await server.close();
      logs.push(...relay.logs);
    },
  };
}

let counter = 0;

/** Sends a message (with whatever else the frame carries) and waits for its turn to end. */
export async function ask(client: TestClient, chatId: string, frame: Partial<SendFrame> & { text: string }) {
  if (!client.frames.some((f) => f.type === 'subscribed' && f.chat_id === chatId)) {
    client.send({ type: 'subscribe', chat_id: chatId });
    await client.waitType('subscribed', (s) => s.chat_id === chatId);
  }
  const from = client.frames.length;
  const client_msg_id = `cm-${++counter}`;
  client.send({ type: 'send', chat_id: chatId, client_msg_id, ...frame });
  const ack = await client.waitType('ack', (a) => a.client_msg_id === client_msg_id, from);
  const start = await client.waitType('turn_start', (t) => t.reply_to === ack.message_id, from);
  const end = await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
  const transcript = new Transcript();
  for (const e of client.events(chatId)) transcript.apply(e);
  const reply = transcript.get(start.message_id);
  const events = client.events(chatId).filter((e) => 'turn_id' in e && e.turn_id === start.turn_id);
  return { end, reply, events };
}

/** Answers a request of a reply in `chatId` and waits for the turn the answer starts to end (like `ask`). */
export async function answer(
  client: TestClient,
  chatId: string,
  messageId: string,
  requestId: string,
  answer: HumanAnswer,
) {
  const from = client.frames.length;
  const client_msg_id = `an-${++counter}`;
  client.send({ type: 'answer', chat_id: chatId, client_msg_id, message_id: messageId, request_id: requestId, answer });
  await client.waitType('ack', (a) => a.client_msg_id === client_msg_id, from);
  const start = await client.waitType('turn_start', () => true, from);
  const end = await client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
  const transcript = new Transcript();
  for (const e of client.events(chatId)) transcript.apply(e);
  return { end, reply: transcript.get(start.message_id), asked: transcript.get(messageId) };
}
