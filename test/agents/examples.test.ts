/** The example agent processes, run as a user runs them, serving chats through a real relay (`--agent remote`). */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { Transcript } from '../helpers/transcript.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { DENO, ROOT } from '../helpers/spawn.ts';

const AGENT_TOKEN = 'agent-token-0123456789abcdef';
const PYTHON = '/usr/bin/python3';
const pythonReady = spawnSync(PYTHON, ['-c', 'import websockets']).status === 0;

let relay: TestRelay;
let proc: ChildProcess | undefined;
beforeAll(async () => {
  relay = await startRelay({ agent: 'remote', agentToken: AGENT_TOKEN });
});
afterAll(() => relay.close());
afterEach(async () => {
  const p = proc;
  proc = undefined;
  if (!p?.pid || p.exitCode !== null) return;
  const exited = new Promise((resolve) => p.once('exit', resolve));
  process.kill(p.pid, 'SIGTERM');
  await exited;
});

/** Starts an agent process pointed at the test relay; its output is kept for failure messages. */
function run(command: string, args: string[]): { output: () => string } {
  let out = '';
  proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PARLEY_URL: `${relay.wsBase}/agent`, PARLEY_AGENT_TOKEN: AGENT_TOKEN },
  });
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  return { output: () => out };
}

/** Waits for the agent to come online, holds a conversation with it, and returns the chat's messages. */
async function chatWith(name: string, chatId: string, output: () => string) {
  const c = await TestClient.connect(relay.wsBase);
  c.send({ type: 'subscribe', chat_id: chatId });
  await c.waitType('subscribed');
  await c
    .waitFor(
      (fs) =>
        fs
          .flatMap((f) => (f.type === 'ready' || f.type === 'agent_state' ? [f.agent] : []))
          .find((a) => a.name === name && a.online),
      `${name} online`,
      20_000,
    )
    .catch((err: unknown) => {
      throw new Error(`${String(err)}\nagent output:\n${output()}`);
    });
  const end = await converse(c, chatId, 'hello from the test', `${chatId}-1`);
  const t = new Transcript();
  for (const e of c.events(chatId)) t.apply(e);
  return { c, end, messages: t.messages };
}

describe('example agents', () => {
  it.each([
    ['node (after npm run build)', process.execPath, [`${ROOT}build/relay/sdk/examples/echo-agent.js`]],
    [
      'deno run',
      DENO,
      [
        'run',
        '--allow-net=127.0.0.1',
        '--allow-env=PARLEY_URL,PARLEY_AGENT_TOKEN',
        `${ROOT}relay/sdk/examples/echo-agent.ts`,
      ],
    ],
  ])('echo-agent.ts on %s serves a chat and answers history', async (runtime, command, args) => {
    const { output } = run(command, args);
    const chatId = `echo-${runtime.split(' ')[0]}`;
    const { c, end, messages } = await chatWith('Echo', chatId, output);
    expect(end.status).toBe('done');
    expect(messages[1]?.text).toBe('You said: hello from the test');
    c.send({ type: 'history', chat_id: chatId, request_id: 'h1', limit: 10 });
    const history = await c.waitType('history_result');
    expect(history.messages.map((m) => m.text)).toEqual(['hello from the test', 'You said: hello from the test']);
    c.send({ type: 'history', chat_id: chatId, request_id: 'h2', limit: 10, before: history.messages[1]?.id ?? '' });
    const older = await c.waitType('history_result', (h) => h.request_id === 'h2');
    expect(older).toMatchObject({ messages: [{ text: 'hello from the test' }], complete: true });
    c.close();
  });

  it.skipIf(!pythonReady)(
    `agent.py on ${PYTHON} serves a chat${pythonReady ? '' : ' (skipped: python3 cannot import websockets; apt-get install python3-websockets)'}`,
    async () => {
      const { output } = run(PYTHON, [`${ROOT}relay/sdk/examples/agent.py`]);
      const { c, end, messages } = await chatWith('Python echo', 'py-1', output);
      expect(end.status).toBe('done');
      expect(messages[1]?.text.trim()).toBe('You said: hello from the test');
      c.close();
    },
  );
});

/** Asks for an approval with `/approve`, answers it as `decision`, and returns the continuation's text. */
async function approveWith(name: string, chatId: string, output: () => string, decision: 'allow_once' | 'deny') {
  const { c } = await chatWith(name, chatId, output);
  await converse(c, chatId, '/approve', `${chatId}-2`);
  const raised = await c.waitType('request');
  expect(raised.request.kind).toBe('approval');
  const from = c.frames.length;
  c.send({
    type: 'answer',
    chat_id: chatId,
    client_msg_id: `${chatId}-a`,
    message_id: raised.message_id,
    request_id: raised.request.id,
    answer: decision === 'deny' ? { kind: 'approval', decision, reason: 'not today' } : { kind: 'approval', decision },
  });
  const start = await c.waitType('turn_start', (t) => t.reply_to === raised.message_id, from);
  await c.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
  const t = new Transcript();
  for (const e of c.events(chatId)) t.apply(e);
  c.close();
  return t.get(start.message_id);
}

describe('example agents ask before running a tool', () => {
  it('echo-agent.ts (the TypeScript SDK) runs the tool once allowed', async () => {
    const { output } = run(process.execPath, [`${ROOT}build/relay/sdk/examples/echo-agent.js`]);
    const reply = await approveWith('Echo', 'echo-approve', output, 'allow_once');
    expect(reply?.text).toBe('Done: the cache is clean.');
    expect(reply?.tools?.[0]).toMatchObject({ name: 'clean_cache', status: 'done' });
  });

  it.skipIf(!pythonReady)('agent.py sends a denial back as the tool result', async () => {
    const { output } = run(PYTHON, [`${ROOT}relay/sdk/examples/agent.py`]);
    const reply = await approveWith('Python echo', 'py-approve', output, 'deny');
    expect(reply?.text.trim()).toBe('I did not run it (not today).');
    expect(reply?.tools?.[0]).toMatchObject({ name: 'clean_cache', status: 'error', result: 'denied: not today' });
  });
});
