/** `--agent ai-sdk` through a real relay against a route built with the `ai` package: streamText on its mock model. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { Transcript } from '../helpers/transcript.ts';
import { AiSdkServer, finish } from './ai-sdk-server.ts';
import { answer, ask } from './openai-helpers.ts';

let route: AiSdkServer;
let relay: TestRelay;
let client: TestClient;
beforeAll(async () => {
  route = await AiSdkServer.start();
  relay = await startRelay({ agent: 'ai-sdk', agentUrl: route.url });
  client = await TestClient.connect(relay.wsBase);
});
afterAll(async () => {
  client.close();
  await relay.close();
  await route.close();
});

const text = (id: string, ...deltas: string[]) => [
  { type: 'text-start' as const, id },
  ...deltas.map((delta) => ({ type: 'text-delta' as const, id, delta })),
  { type: 'text-end' as const, id },
];

describe('the ai-sdk agent', () => {
  it('sends the chat as UIMessages (system context kept) and streams text and reasoning', async () => {
    route.routes.push({
      steps: [
        [
          { type: 'reasoning-start', id: 'r' },
          { type: 'reasoning-delta', id: 'r', delta: 'Greet ' },
          { type: 'reasoning-delta', id: 'r', delta: 'them.' },
          { type: 'reasoning-end', id: 'r' },
          ...text('t', 'Hel', 'lo ', 'there.'),
          finish(),
        ],
      ],
    });
    const { end, reply, events } = await ask(client, 'ai-text', {
      text: 'Say hello',
      context: [
        { role: 'system', text: 'Be brief.' },
        { role: 'user', text: 'earlier' },
        { role: 'assistant', text: 'an answer' },
      ],
    });
    expect(end.status).toBe('done');
    expect(reply).toMatchObject({ text: 'Hello there.', reasoning: 'Greet them.' });
    expect(reply).not.toHaveProperty('steps');
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(3);
    const got = route.received.at(-1);
    expect(got).toMatchObject({ id: 'ai-text', trigger: 'submit-message' });
    expect(got?.messages.map((m) => [m.role, m.parts])).toEqual([
      ['system', [{ type: 'text', text: 'Be brief.' }]],
      ['user', [{ type: 'text', text: 'earlier' }]],
      ['assistant', [{ type: 'text', text: 'an answer' }]],
      ['user', [{ type: 'text', text: 'Say hello' }]],
    ]);
  });

  it('streams tool input as it arrives, runs the tool on the route, and shows its output, sources and data', async () => {
    route.routes.push({
      before: (writer) => {
        writer.write({ type: 'data-progress', id: 'p', data: { percent: 50 }, transient: true });
        writer.write({ type: 'data-weather', id: 'w', data: { city: 'Oslo', temp: 3 } });
      },
      steps: [
        [
          { type: 'tool-input-start', id: 'call-1', toolName: 'search' },
          { type: 'tool-input-delta', id: 'call-1', delta: '{"q":' },
          { type: 'tool-input-delta', id: 'call-1', delta: '"par' },
          { type: 'tool-input-delta', id: 'call-1', delta: 'ley"}' },
          { type: 'tool-input-end', id: 'call-1' },
          { type: 'tool-call', toolCallId: 'call-1', toolName: 'search', input: '{"q":"parley"}' },
          finish('tool-calls'),
        ],
        [
          { type: 'source', sourceType: 'url', id: 's1', url: 'https://example.com/parley', title: 'Parley' },
          ...text('t2', 'Found 3.'),
          finish(),
        ],
      ],
    });
    const { reply, events } = await ask(client, 'ai-tool', { text: 'Search' });
    const args = events.flatMap((e) => (e.type === 'tool_args_delta' ? [e.text] : []));
    expect(args).toEqual(['{"q":', '"par', 'ley"}']);
    expect(reply?.tools).toEqual([
      { call_id: 'call-1', name: 'search', arguments: '{"q":"parley"}', output: '3 hits for parley', status: 'done' },
    ]);
    expect(reply).toMatchObject({
      text: 'Found 3.',
      sources: [{ id: 's1', url: 'https://example.com/parley', title: 'Parley' }],
      steps: [
        { name: 'Step 1', status: 'done' },
        { name: 'Step 2', status: 'done' },
      ],
    });
    // The transient part was shown while the turn ran; the stored reply keeps only the other one.
    expect(events.filter((e) => e.type === 'data_part').map((e) => e.type === 'data_part' && e.part.name)).toEqual([
      'progress',
      'weather',
    ]);
    expect(reply?.data).toEqual([{ name: 'weather', id: 'w', data: '{\n  "city": "Oslo",\n  "temp": 3\n}' }]);
  });

  /** A reply that asks to run delete_file: streamText pauses on the tool's needsApproval. */
  const deleting = () =>
    route.routes.push({
      steps: [
        [
          ...text('t3', 'I will delete it.'),
          { type: 'tool-input-start', id: 'call-2', toolName: 'delete_file' },
          { type: 'tool-input-delta', id: 'call-2', delta: '{"path":"/tmp/x"}' },
          { type: 'tool-input-end', id: 'call-2' },
          { type: 'tool-call', toolCallId: 'call-2', toolName: 'delete_file', input: '{"path":"/tmp/x"}' },
          finish('tool-calls'),
        ],
      ],
    });

  it('turns a tool approval request into a Parley approval, and an allow into the resumed run that runs the tool', async () => {
    deleting();
    const { end, reply } = await ask(client, 'ai-approve', { text: 'Clean up' });
    expect(end.status).toBe('done');
    expect(reply?.text).toBe('I will delete it.');
    const request = reply?.requests?.[0];
    expect(request).toMatchObject({
      kind: 'approval',
      tool: 'delete_file',
      call_id: 'call-2',
      arguments: '{"path":"/tmp/x"}',
    });
    route.routes.push({ steps: [[...text('t5', 'Deleted.'), finish()]] });
    const resumed = await answer(client, 'ai-approve', reply?.id ?? '', request?.id ?? '', {
      kind: 'approval',
      decision: 'allow_once',
    });
    expect(resumed.end.status).toBe('done');
    // The SDK ran the tool once allowed, then the model went on.
    expect(resumed.reply?.tools).toMatchObject([{ call_id: 'call-2', status: 'done', output: 'deleted' }]);
    expect(resumed.reply?.text).toBe('Deleted.');
    expect(resumed.asked?.requests?.[0]?.answer).toEqual({ kind: 'approval', decision: 'allow_once' });
    // The request that resumed it: the same conversation, and the tool part answered as useChat answers it.
    const sent = route.received.at(-1)?.messages ?? [];
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(sent.at(-1)?.parts).toMatchObject([
      { type: 'tool-delete_file', toolCallId: 'call-2', state: 'approval-responded', approval: { approved: true } },
    ]);
  });

  it('sends a denial with its reason back, as the tool part the SDK reports denied', async () => {
    deleting();
    const { reply } = await ask(client, 'ai-deny', { text: 'Clean up' });
    route.routes.push({ steps: [[...text('t6', 'Fine, I left it.'), finish()]] });
    const resumed = await answer(client, 'ai-deny', reply?.id ?? '', reply?.requests?.[0]?.id ?? '', {
      kind: 'approval',
      decision: 'deny',
      reason: 'keep it',
    });
    expect(route.received.at(-1)?.messages.at(-1)?.parts).toMatchObject([
      { state: 'approval-responded', approval: { approved: false, reason: 'keep it' } },
    ]);
    expect(resumed.reply?.tools).toMatchObject([{ call_id: 'call-2', status: 'error' }]);
    expect(resumed.reply?.text).toBe('Fine, I left it.');
  });

  it('approves at once, in the same turn, a tool the user allowed always in this chat', async () => {
    deleting();
    const { reply } = await ask(client, 'ai-always', { text: 'Clean up' });
    route.routes.push({ steps: [[...text('t7', 'Deleted.'), finish()]] });
    await answer(client, 'ai-always', reply?.id ?? '', reply?.requests?.[0]?.id ?? '', {
      kind: 'approval',
      decision: 'allow_always',
    });
    deleting();
    route.routes.push({ steps: [[...text('t8', 'Deleted again.'), finish()]] });
    const again = await ask(client, 'ai-always', { text: 'And again' });
    expect(again.reply?.requests ?? []).toEqual([]);
    expect(again.reply?.text).toBe('I will delete it.Deleted again.');
    expect(again.reply?.tools).toMatchObject([{ call_id: 'call-2', status: 'done' }]);
  });

  it('shows an error chunk as a readable turn error, keeping what streamed', async () => {
    route.routes.push({ steps: [[...text('t4', 'Partial'), { type: 'error', error: 'model overloaded' }]] });
    const { end, reply } = await ask(client, 'ai-error', { text: 'Go' });
    expect(end).toMatchObject({ status: 'error', error: 'The agent reported an error: model overloaded' });
    expect(reply?.text).toBe('Partial');
  });

  it.each([
    ['not JSON', 'data: {nope\n\n', 'The AI SDK endpoint sent a stream Parley cannot read'],
    [
      'a chunk missing a field',
      'data: {"type":"text-delta","id":"x"}\n\n',
      'The AI SDK endpoint sent a stream Parley cannot read',
    ],
    ['an unknown chunk type', 'data: {"type":"thinking"}\n\n', 'The AI SDK endpoint sent a stream Parley cannot read'],
  ])('ends the turn with a typed error for %s, and the next turn works', async (what, raw, message) => {
    const chat = `ai-bad-${what.length}`;
    route.routes.push({ raw: `data: {"type":"start"}\n\n${raw}` });
    const { end } = await ask(client, chat, { text: 'Go' });
    expect(end.status).toBe('error');
    expect(end.error).toContain(message);
    route.routes.push({ steps: [[...text('t5', 'Still here.'), finish()]] });
    const next = await ask(client, chat, { text: 'Again' });
    expect(next.reply).toMatchObject({ text: 'Still here.', status: 'done' });
  });

  it('says so when the stream ends without its finish chunk', async () => {
    route.routes.push({ raw: 'data: {"type":"start"}\n\ndata: {"type":"text-start","id":"a"}\n\n' });
    const { end } = await ask(client, 'ai-cut', { text: 'Go' });
    expect(end).toMatchObject({
      status: 'error',
      error: 'The AI SDK endpoint closed the stream before the reply finished.',
    });
  });

  it('stop aborts the request: the route sees its client go away and the reply keeps what streamed', async () => {
    route.routes.push({
      hang: [
        { type: 'text-start', id: 'h' },
        { type: 'text-delta', id: 'h', delta: 'Once upon' },
      ],
    });
    client.send({ type: 'subscribe', chat_id: 'ai-stop' });
    await client.waitType('subscribed', (s) => s.chat_id === 'ai-stop');
    const from = client.frames.length;
    client.send({ type: 'send', chat_id: 'ai-stop', client_msg_id: 'ai-stop-1', text: 'A long story' });
    await client.waitType('delta', (d) => d.chat_id === 'ai-stop', from);
    const aborted = route.aborted;
    client.send({ type: 'stop', chat_id: 'ai-stop' });
    const end = await client.waitType('turn_end', (t) => t.chat_id === 'ai-stop', from);
    expect(end.status).toBe('stopped');
    await client.waitFor(() => (route.aborted > aborted ? true : undefined), 'the route to see the abort');
    const transcript = new Transcript();
    for (const e of client.events('ai-stop')) transcript.apply(e);
    expect(transcript.get(end.message_id)).toMatchObject({ text: 'Once upon', status: 'stopped' });
  });

  it('names an HTTP error status with the body the route sent', async () => {
    const other = await startRelay({ agent: 'ai-sdk', agentUrl: `${route.url.replace('/api/chat', '')}/nowhere` });
    const c = await TestClient.connect(other.wsBase);
    const { end } = await ask(c, 'ai-404', { text: 'Hi' });
    c.close();
    await other.close();
    expect(end).toMatchObject({
      status: 'error',
      error: `Nothing answers at ${route.url.replace('/api/chat', '')}/nowhere (HTTP 404: no route /nowhere). Check --agent-url.`,
    });
  });
});
