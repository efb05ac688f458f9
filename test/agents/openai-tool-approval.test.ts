/**
 * OpenAI tool calls in library mode, approved by a person: the example agent (relay/sdk/examples/openai-tools-agent.ts)
 * on the `openai` package against a server speaking OpenAI's exact wire format. The model's tool call becomes an
 * approval; allowing runs the tool, denying hands the model the reason as the tool's result.
 */

import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRelay, type RunningServer } from '../../relay/index.ts';
import { isObject } from '../../shared/reader.ts';
import { openAiToolsAgent } from '../../relay/sdk/examples/openai-tools-agent.ts';
import { TestClient } from '../helpers/client.ts';
import { chunk, FakeOpenAI, textStream } from './fake-openai.ts';
import { answer, ask } from './openai-helpers.ts';

let openai: FakeOpenAI;
let server: RunningServer;
let client: TestClient;
beforeAll(async () => {
  openai = await FakeOpenAI.start();
  const sdk = new OpenAI({ apiKey: 'sk-test', baseURL: openai.baseUrl, maxRetries: 0 });
  server = await createRelay({
    agent: openAiToolsAgent(sdk, 'gpt-4o'),
    config: { port: 0, logLevel: 'silent', dataDir: 'none' },
  }).listen();
  client = await TestClient.connect(server.url.replace(/^http/, 'ws'));
});
afterAll(async () => {
  client.close();
  await server.close();
  await openai.close();
});

/** The model's answer: a delete_file call whose arguments stream in two pieces. */
function toolCallReply(): void {
  openai.replies.push({
    kind: 'stream',
    events: [
      chunk({ role: 'assistant', content: null }),
      chunk({
        tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'delete_file', arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"/tmp/x"}' } }] }),
      chunk({}, 'tool_calls'),
    ],
  });
}

/** The tool message the model got with its next request. */
function toolResultSent(): unknown {
  const body = openai.completions().at(-1)?.body;
  const messages: unknown[] = isObject(body) && Array.isArray(body['messages']) ? body['messages'] : [];
  return messages.flatMap((m) => (isObject(m) && m['role'] === 'tool' ? [m['content']] : []));
}

it('asks before the tool runs; allowed, the tool runs and the model goes on with its result', async () => {
  toolCallReply();
  const { end, reply, events } = await ask(client, 'oa-allow', { text: 'Clean up /tmp/x' });
  expect(end.status).toBe('done');
  expect(events.filter((e) => e.type === 'tool_args_delta').length).toBe(2);
  const request = reply?.requests?.[0];
  expect(request).toMatchObject({
    kind: 'approval',
    tool: 'delete_file',
    call_id: 'call_9',
    arguments: '{"path":"/tmp/x"}',
  });
  openai.replies.push({ kind: 'stream', events: textStream(['Done: ', 'it is gone.']) });
  const resumed = await answer(client, 'oa-allow', reply?.id ?? '', request?.id ?? '', {
    kind: 'approval',
    decision: 'allow_once',
  });
  expect(resumed.reply?.tools).toMatchObject([{ call_id: 'call_9', status: 'done', result: 'Deleted /tmp/x.' }]);
  expect(resumed.reply?.text).toBe('Done: it is gone.');
  expect(toolResultSent()).toEqual(['Deleted /tmp/x.']);
});

it('denied with a reason, the model reads the reason as the tool result; "always" is not asked again', async () => {
  toolCallReply();
  const first = await ask(client, 'oa-deny', { text: 'Clean up' });
  openai.replies.push({ kind: 'stream', events: textStream(['I will keep it.']) });
  const denied = await answer(client, 'oa-deny', first.reply?.id ?? '', first.reply?.requests?.[0]?.id ?? '', {
    kind: 'approval',
    decision: 'deny',
    reason: 'it is my thesis',
  });
  expect(toolResultSent()).toEqual(['The user denied this tool call: it is my thesis']);
  expect(denied.reply?.tools).toMatchObject([{ call_id: 'call_9', status: 'error' }]);
  expect(denied.reply?.text).toBe('I will keep it.');

  toolCallReply();
  const second = await ask(client, 'oa-deny', { text: 'Now really' });
  openai.replies.push({ kind: 'stream', events: textStream(['Gone.']) });
  await answer(client, 'oa-deny', second.reply?.id ?? '', second.reply?.requests?.[0]?.id ?? '', {
    kind: 'approval',
    decision: 'allow_always',
  });
  toolCallReply();
  openai.replies.push({ kind: 'stream', events: textStream(['Gone again.']) });
  const third = await ask(client, 'oa-deny', { text: 'Once more' });
  expect(third.reply?.requests ?? []).toEqual([]);
  expect(third.reply?.tools).toMatchObject([{ call_id: 'call_9', status: 'done' }]);
  expect(third.reply?.text).toBe('Gone again.');
});
