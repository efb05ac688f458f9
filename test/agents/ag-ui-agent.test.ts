/** `--agent ag-ui` through a real relay against an AG-UI server written with @ag-ui/core and @ag-ui/encoder. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, type BaseEvent } from '@ag-ui/core';
import { TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { Transcript } from '../helpers/transcript.ts';
import { AgUiServer, type RunControls } from './ag-ui-server.ts';
import { answer, ask } from './openai-helpers.ts';

let agent: AgUiServer;
let relay: TestRelay;
let client: TestClient;
beforeAll(async () => {
  agent = await AgUiServer.start();
  relay = await startRelay({ agent: 'ag-ui', agentUrl: agent.url });
  client = await TestClient.connect(relay.wsBase);
});
afterAll(async () => {
  client.close();
  await relay.close();
  await agent.close();
});

/** A run's events between RUN_STARTED and RUN_FINISHED (success unless `outcome` says otherwise). */
function run(events: BaseEvent[], outcome?: Record<string, unknown>) {
  return ({ input, send }: RunControls) => {
    send({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId } as BaseEvent);
    for (const e of events) send(e);
    send({
      type: EventType.RUN_FINISHED,
      threadId: input.threadId,
      runId: input.runId,
      ...(outcome ? { outcome } : {}),
    } as BaseEvent);
  };
}

const text = (messageId: string, ...deltas: string[]): BaseEvent[] => [
  { type: EventType.TEXT_MESSAGE_START, messageId, role: 'assistant' } as BaseEvent,
  ...deltas.map((delta) => ({ type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta }) as BaseEvent),
  { type: EventType.TEXT_MESSAGE_END, messageId } as BaseEvent,
];

const toolCall = (id: string, name: string, args: string[]): BaseEvent[] => [
  { type: EventType.TOOL_CALL_START, toolCallId: id, toolCallName: name } as BaseEvent,
  ...args.map((delta) => ({ type: EventType.TOOL_CALL_ARGS, toolCallId: id, delta }) as BaseEvent),
  { type: EventType.TOOL_CALL_END, toolCallId: id } as BaseEvent,
];

describe('the ag-ui agent', () => {
  it('sends the chat as RunAgentInput (thread = chat, run = turn, system context kept) and streams text', async () => {
    agent.scripts.push(run(text('m1', 'Hel', 'lo ', 'there.')));
    const { end, reply, events } = await ask(client, 'agui-text', {
      text: 'Say hello',
      context: [
        { role: 'system', text: 'Be brief.' },
        { role: 'user', text: 'earlier' },
        { role: 'assistant', text: 'an answer' },
      ],
    });
    expect(end.status).toBe('done');
    expect(reply?.text).toBe('Hello there.');
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(3);
    const input = agent.inputs.at(-1);
    expect(input).toMatchObject({
      threadId: 'agui-text',
      runId: end.turn_id,
      tools: [],
      forwardedProps: {},
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'earlier' },
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: 'Say hello' },
      ],
    });
  });

  it('shows reasoning, steps and the agent state (snapshot, then JSON Patch deltas)', async () => {
    agent.scripts.push(
      run([
        { type: EventType.STEP_STARTED, stepName: 'plan' } as BaseEvent,
        { type: EventType.REASONING_START, messageId: 'r1' } as BaseEvent,
        { type: EventType.REASONING_MESSAGE_START, messageId: 'r1', role: 'reasoning' } as BaseEvent,
        { type: EventType.REASONING_MESSAGE_CONTENT, messageId: 'r1', delta: 'Think ' } as BaseEvent,
        { type: EventType.REASONING_MESSAGE_CHUNK, messageId: 'r1', delta: 'hard.' } as BaseEvent,
        { type: EventType.REASONING_MESSAGE_END, messageId: 'r1' } as BaseEvent,
        { type: EventType.REASONING_END, messageId: 'r1' } as BaseEvent,
        { type: EventType.STATE_SNAPSHOT, snapshot: { todo: ['a'] } } as BaseEvent,
        { type: EventType.STATE_DELTA, delta: [{ op: 'add', path: '/todo/-', value: 'b' }] } as BaseEvent,
        { type: EventType.STEP_FINISHED, stepName: 'plan' } as BaseEvent,
        { type: EventType.CUSTOM, name: 'telemetry', value: 1 } as BaseEvent,
        { type: EventType.RAW, event: { anything: true } } as BaseEvent,
        { type: EventType.TEXT_MESSAGE_CHUNK, messageId: 'm2', delta: 'Done.' } as BaseEvent,
      ]),
    );
    const { reply } = await ask(client, 'agui-state', { text: 'Plan it' });
    expect(reply).toMatchObject({
      text: 'Done.',
      reasoning: 'Think hard.',
      steps: [{ name: 'plan', status: 'done' }],
      status: 'done',
    });
    expect(JSON.parse(reply?.agent_state ?? 'null')).toEqual({ todo: ['a', 'b'] });
    // The state goes back to the agent with the next run of the thread.
    agent.scripts.push(run(text('m3', 'ok')));
    await ask(client, 'agui-state', { text: 'Again' });
    expect(agent.inputs.at(-1)?.state).toEqual({ todo: ['a', 'b'] });
  });

  it('streams tool-call arguments as they arrive, then the result', async () => {
    agent.scripts.push(
      run([
        ...toolCall('tc-1', 'search', ['{"q":', '"par', 'ley"}']),
        { type: EventType.TOOL_CALL_RESULT, messageId: 'tm', toolCallId: 'tc-1', content: '3 hits' } as BaseEvent,
        ...text('m4', 'Found 3.'),
      ]),
    );
    const { reply, events } = await ask(client, 'agui-tool', { text: 'Search' });
    expect(
      events.filter((e) => e.type === 'tool_args_delta').map((e) => (e.type === 'tool_args_delta' ? e.text : '')),
    ).toEqual(['{"q":', '"par', 'ley"}']);
    expect(reply?.tools).toEqual([
      { call_id: 'tc-1', name: 'search', arguments: '{"q":"parley"}', output: '3 hits', status: 'done' },
    ]);
    expect(reply?.text).toBe('Found 3.');
  });

  const interruptForDelete = () =>
    run([...text('m5', 'I need to delete a file.'), ...toolCall('tc-2', 'delete_file', ['{"path":"/tmp/x"}'])], {
      type: 'interrupt',
      interrupts: [{ id: 'int-1', reason: 'tool_approval', message: 'Delete /tmp/x?', toolCallId: 'tc-2' }],
    });

  it('turns an interrupt into a Parley approval, and the answer into the run that resumes it', async () => {
    agent.scripts.push(interruptForDelete());
    const { end, reply } = await ask(client, 'agui-approve', { text: 'Clean up' });
    expect(end.status).toBe('done');
    expect(reply?.text).toBe('I need to delete a file.');
    const request = reply?.requests?.[0];
    expect(request).toMatchObject({
      kind: 'approval',
      id: 'int-1',
      tool: 'delete_file',
      call_id: 'tc-2',
      arguments: '{"path":"/tmp/x"}',
      description: 'Delete /tmp/x?',
    });
    agent.scripts.push(
      run([
        { type: EventType.TOOL_CALL_RESULT, messageId: 'r1', toolCallId: 'tc-2', content: 'deleted' } as BaseEvent,
        ...text('m7', 'Done.'),
      ]),
    );
    const resumed = await answer(client, 'agui-approve', reply?.id ?? '', 'int-1', {
      kind: 'approval',
      decision: 'deny',
      reason: 'keep it',
    });
    expect(resumed.end.status).toBe('done');
    expect(resumed.reply?.text).toBe('Done.');
    // The next run on the thread answers the interrupt, as AG-UI resumes a run.
    const input = agent.inputs.at(-1);
    expect(input?.threadId).toBe('agui-approve');
    expect(input?.resume).toEqual([
      { interruptId: 'int-1', status: 'resolved', payload: { approved: false, reason: 'keep it' } },
    ]);
  });

  it('asks a question interrupt with the form its responseSchema describes, and resumes with the values', async () => {
    agent.scripts.push(
      run([], {
        type: 'interrupt',
        interrupts: [
          {
            id: 'int-2',
            reason: 'input_required',
            message: 'Which city?',
            responseSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        ],
      }),
    );
    const { end, reply } = await ask(client, 'agui-question', { text: 'Weather?' });
    expect(end.status).toBe('done');
    expect(reply?.requests?.[0]).toMatchObject({
      kind: 'question',
      id: 'int-2',
      prompt: 'Which city?',
      schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
    // An answer that does not fit the form is refused before any run starts.
    client.send({
      type: 'answer',
      chat_id: 'agui-question',
      client_msg_id: 'bad-answer',
      message_id: reply?.id ?? '',
      request_id: 'int-2',
      answer: { kind: 'question', values: { city: 3 } },
    });
    expect((await client.waitType('error', (e) => e.ref === 'bad-answer')).code).toBe('invalid_answer');
    agent.scripts.push(run(text('m8', 'Sunny in Oslo.')));
    const resumed = await answer(client, 'agui-question', reply?.id ?? '', 'int-2', {
      kind: 'question',
      values: { city: 'Oslo' },
    });
    expect(resumed.reply?.text).toBe('Sunny in Oslo.');
    expect(agent.inputs.at(-1)?.resume).toEqual([
      { interruptId: 'int-2', status: 'resolved', payload: { city: 'Oslo' } },
    ]);
  });

  it('resumes at once, in the same turn, an interrupt for a tool the user allowed always in this chat', async () => {
    agent.scripts.push(interruptForDelete());
    const { reply } = await ask(client, 'agui-always', { text: 'Clean up' });
    agent.scripts.push(run(text('m9', 'Deleted.')));
    await answer(client, 'agui-always', reply?.id ?? '', 'int-1', { kind: 'approval', decision: 'allow_always' });
    agent.scripts.push(interruptForDelete(), run(text('m10', 'Deleted again.')));
    const again = await ask(client, 'agui-always', { text: 'And again' });
    expect(again.reply?.requests ?? []).toEqual([]);
    expect(again.reply?.text).toBe('I need to delete a file.Deleted again.');
    expect(agent.inputs.at(-1)?.resume).toEqual([
      { interruptId: 'int-1', status: 'resolved', payload: { approved: true } },
    ]);
  });

  it('shows RUN_ERROR as a readable turn error, keeping what streamed', async () => {
    agent.scripts.push(({ input, send }) => {
      send({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId } as BaseEvent);
      for (const e of text('m6', 'Partial')) send(e);
      send({ type: EventType.RUN_ERROR, message: 'model overloaded', code: 'overloaded' } as BaseEvent);
    });
    const { end, reply } = await ask(client, 'agui-error', { text: 'Go' });
    expect(end).toMatchObject({ status: 'error', error: 'The agent reported an error: model overloaded (overloaded)' });
    expect(reply?.text).toBe('Partial');
  });

  it.each([
    ['not JSON', 'data: {not json\n\n', 'The AG-UI agent sent an event that is not JSON: {not json'],
    [
      'an event missing a field',
      'data: {"type":"TEXT_MESSAGE_CONTENT","delta":"x"}\n\n',
      'The AG-UI agent sent an event Parley cannot read (TEXT_MESSAGE_CONTENT at messageId',
    ],
    [
      'an unknown type',
      'data: {"type":"THINKING_START"}\n\n',
      'The AG-UI agent sent an event Parley cannot read (THINKING_START',
    ],
  ])('ends the turn with a typed error for %s, and the next turn works', async (_what, raw, message) => {
    const chat = `agui-bad-${_what.length}`;
    agent.scripts.push(({ input, send, raw: write }) => {
      send({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId } as BaseEvent);
      write(raw);
    });
    const { end } = await ask(client, chat, { text: 'Go' });
    expect(end.status).toBe('error');
    expect(end.error).toContain(message);
    agent.scripts.push(run(text('m7', 'Still here.')));
    const next = await ask(client, chat, { text: 'Again' });
    expect(next.reply).toMatchObject({ text: 'Still here.', status: 'done' });
  });

  it('says so when the stream ends before RUN_FINISHED', async () => {
    agent.scripts.push(({ input, send }) => {
      send({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId } as BaseEvent);
      for (const e of text('m8', 'Half')) send(e);
    });
    const { end } = await ask(client, 'agui-cut', { text: 'Go' });
    expect(end).toMatchObject({ status: 'error', error: 'The AG-UI agent closed the stream before the run finished.' });
  });

  it('shows an assistant message only a MESSAGES_SNAPSHOT carries, and sends that history back next run', async () => {
    agent.scripts.push(({ input, send }) => {
      const user = input.messages.at(-1);
      run([
        {
          type: EventType.MESSAGES_SNAPSHOT,
          messages: [
            user,
            {
              id: 'a1',
              role: 'assistant',
              toolCalls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }],
            },
            { id: 't1', role: 'tool', toolCallId: 't', content: 'r' },
            { id: 'a2', role: 'assistant', content: 'From the snapshot.' },
          ],
        } as BaseEvent,
      ])({ input, send } as RunControls);
    });
    const first = await ask(client, 'agui-snap', { text: 'Hi' });
    expect(first.reply?.text).toBe('From the snapshot.');
    agent.scripts.push(run(text('m9', 'ok')));
    await ask(client, 'agui-snap', {
      text: 'More',
      context: [
        { role: 'user', text: 'Hi' },
        { role: 'assistant', text: 'From the snapshot.' },
      ],
    });
    expect(agent.inputs.at(-1)?.messages.map((m) => m.id)).toEqual([
      expect.any(String),
      'a1',
      't1',
      'a2',
      expect.any(String),
    ]);
  });

  it('stop aborts the run: the agent sees its client go away and the reply keeps what streamed', async () => {
    let release: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (release = resolve));
    agent.scripts.push(async ({ input, send, closed }) => {
      send({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId } as BaseEvent);
      send({ type: EventType.TEXT_MESSAGE_START, messageId: 'm10' } as BaseEvent);
      send({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm10', delta: 'Once upon' } as BaseEvent);
      await closed;
      release();
    });
    client.send({ type: 'subscribe', chat_id: 'agui-stop' });
    await client.waitType('subscribed', (s) => s.chat_id === 'agui-stop');
    const from = client.frames.length;
    client.send({ type: 'send', chat_id: 'agui-stop', client_msg_id: 'agui-stop-1', text: 'A long story' });
    await client.waitType('delta', (d) => d.chat_id === 'agui-stop', from);
    const aborted = agent.aborted;
    client.send({ type: 'stop', chat_id: 'agui-stop' });
    const end = await client.waitType('turn_end', (t) => t.chat_id === 'agui-stop', from);
    expect(end.status).toBe('stopped');
    await seen;
    expect(agent.aborted).toBe(aborted + 1);
    const transcript = new Transcript();
    for (const e of client.events('agui-stop')) transcript.apply(e);
    expect(transcript.get(end.message_id)).toMatchObject({ text: 'Once upon', status: 'stopped' });
  });

  it('names an endpoint that is not there', async () => {
    const other = await startRelay({ agent: 'ag-ui', agentUrl: 'http://127.0.0.1:9/agent' });
    const c = await TestClient.connect(other.wsBase);
    const { end } = await ask(c, 'agui-down', { text: 'Hi' });
    c.close();
    await other.close();
    expect(end.status).toBe('error');
    expect(end.error).toMatch(/^Cannot reach the AG-UI agent at http:\/\/127\.0\.0\.1:9\/agent: /);
  });
});
