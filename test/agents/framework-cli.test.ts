/** `--agent ag-ui` and `--agent ai-sdk` as users start them, on the Node build and on Deno, plus their options. */

import { EventType, type BaseEvent } from '@ag-ui/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../relay/config.ts';
import { TestClient } from '../helpers/client.ts';
import { denoRelayCommand, nodeRelayCommand, startRelayProcess, type RelayProcess } from '../helpers/spawn.ts';
import { AgUiServer } from './ag-ui-server.ts';
import { AiSdkServer, finish } from './ai-sdk-server.ts';
import { ask } from './openai-helpers.ts';

let agUi: AgUiServer;
let aiSdk: AiSdkServer;
let running: RelayProcess | undefined;
beforeAll(async () => {
  agUi = await AgUiServer.start();
  aiSdk = await AiSdkServer.start();
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(async () => {
  await agUi.close();
  await aiSdk.close();
});

describe.each([
  ['node', nodeRelayCommand],
  ['deno', denoRelayCommand],
] as const)('%s: npm start -- --agent ag-ui | ai-sdk --agent-url …', (runtime, command) => {
  it('holds a conversation with an AG-UI agent: arguments streaming into the tool block, state patched', async () => {
    running = await startRelayProcess(command(['--port', '0', '--agent', 'ag-ui', '--agent-url', agUi.url]));
    agUi.scripts.push(({ input, send }) => {
      const events = [
        { type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId },
        { type: EventType.TOOL_CALL_START, toolCallId: 'tc', toolCallName: 'lookup' },
        { type: EventType.TOOL_CALL_ARGS, toolCallId: 'tc', delta: '{"on":' },
        { type: EventType.TOOL_CALL_ARGS, toolCallId: 'tc', delta: `"${runtime}"}` },
        { type: EventType.TOOL_CALL_END, toolCallId: 'tc' },
        { type: EventType.STATE_SNAPSHOT, snapshot: { runtime } },
        { type: EventType.STATE_DELTA, delta: [{ op: 'add', path: '/patched', value: true }] },
        { type: EventType.TEXT_MESSAGE_CHUNK, messageId: 'm', delta: `Hello from AG-UI on ${runtime}` },
        { type: EventType.RUN_FINISHED, threadId: input.threadId, runId: input.runId },
      ];
      for (const e of events) send(e as BaseEvent);
    });
    const client = await TestClient.connect(running.wsBase);
    const { end, reply, events } = await ask(client, `agui-${runtime}`, { text: 'hello' });
    client.close();
    expect(end.status).toBe('done');
    expect(reply?.text).toBe(`Hello from AG-UI on ${runtime}`);
    expect(reply?.tools?.[0]).toMatchObject({ name: 'lookup', arguments: `{"on":"${runtime}"}`, status: 'done' });
    expect(events.filter((e) => e.type === 'tool_args_delta')).toHaveLength(2);
    expect(JSON.parse(reply?.agent_state ?? 'null')).toEqual({ runtime, patched: true });
  });

  it('holds a conversation with an AI SDK route', async () => {
    const [bin, args] = command(['--port', '0', '--agent', 'ai-sdk', '--agent-url', aiSdk.url]);
    // The SDK's gateway module (@vercel/oidc) reads the host name when it loads: Deno must allow that.
    if (runtime === 'deno') args.splice(1, 0, '--allow-sys=hostname');
    running = await startRelayProcess([bin, args]);
    aiSdk.routes.push({
      steps: [
        [
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: `Hello from the AI SDK on ${runtime}` },
          { type: 'text-end', id: 't' },
          finish(),
        ],
      ],
    });
    const client = await TestClient.connect(running.wsBase);
    const { end, reply } = await ask(client, `ai-${runtime}`, { text: 'hello' });
    client.close();
    expect(end).toMatchObject({ status: 'done' });
    expect(reply?.text).toBe(`Hello from the AI SDK on ${runtime}`);
  });
});

describe('--agent-url', () => {
  const error = (argv: string[]) => {
    const r = parseConfig(argv, {});
    return r.ok ? undefined : r.error;
  };

  it('is required by ag-ui and ai-sdk, must be http(s), and carries no credentials', () => {
    expect(error(['--agent', 'ag-ui'])).toBe(
      '--agent ag-ui needs --agent-url (PARLEY_AGENT_URL), e.g. http://localhost:8000/agent',
    );
    expect(error(['--agent', 'ai-sdk', '--agent-url', 'localhost:3000/api/chat'])).toContain(
      '--agent-url (PARLEY_AGENT_URL) must be an http(s) URL',
    );
    expect(error(['--agent', 'ag-ui', '--agent-url', 'https://u:p@agents.example/a'])).toBe(
      '--agent-url must not contain credentials: set PARLEY_AGENT_URL_KEY',
    );
    expect(error(['--agent', 'ai-sdk', '--agent-url', 'http://127.0.0.1:3000/api/chat'])).toBeUndefined();
  });
});
