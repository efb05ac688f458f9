/** The relay's entry points as a user runs them: the Node build and `deno run`, each holding a conversation. */

import { afterEach, describe, expect, it } from 'vitest';
import { Transcript } from '../helpers/transcript.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { RELAY_RUNTIMES, type RelayProcess, runToEnd, startRelayProcess } from '../helpers/spawn.ts';

let running: RelayProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe.each(RELAY_RUNTIMES)('the %s entry point', (_name, command) => {
  it('prints its URL, serves /healthz and holds a streamed conversation with the demo agent', async () => {
    running = await startRelayProcess(command(['--port', '0', '--demo-delay-ms', '1', '--max-frame-bytes', '65536']));
    const health = (await (await fetch(`${running.url}/healthz`)).json()) as {
      status: string;
      agent: { name: string };
    };
    expect(health).toMatchObject({ status: 'ok', agent: { name: 'Parley demo' } });
    const client = await TestClient.connect(running.wsBase, { clientId: 'rt' });
    client.send({ type: 'subscribe', chat_id: 'rt-1' });
    await client.waitType('subscribed');
    expect((await converse(client, 'rt-1', '/tool', 'rt-a')).status).toBe('done');
    expect((await converse(client, 'rt-1', 'hello from a runtime test', 'rt-b')).status).toBe('done');
    const t = new Transcript();
    for (const e of client.events('rt-1')) t.apply(e);
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(t.messages[1]?.tools?.[0]?.status).toBe('done');
    expect(t.messages[3]?.text).toContain('| words | 5 |');
    // Bad input on this runtime too: a typed error, and the socket stays open.
    client.raw('{oops');
    expect((await client.waitType('error')).code).toBe('bad_json');
    client.raw(JSON.stringify({ type: 'ping', nonce: 'x'.repeat(100 * 1024) }));
    expect(await client.waitClose()).toBe(1009);
    expect(running.output()).toMatch(/client open .*client=rt/);
    // The relay logs the close after the client has seen it: give the log line a moment to arrive.
    for (let i = 0; i < 40 && !/client close .*client=rt/.test(running.output()); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(running.output()).toMatch(/client close .*client=rt/);
  });

  it('stops at start-up on a bad configuration value with a clear message', async () => {
    const bad = await runToEnd(command(['--port', 'eighty']));
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--port must be a whole number, got "eighty"');
    const env = await runToEnd(command([]), { PARLEY_RATE_LIMIT: '-3' });
    expect(env.code).toBe(2);
    expect(env.out).toContain('PARLEY_RATE_LIMIT must be a whole number');
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const open = await runToEnd(command(['--host', '0.0.0.0']));
    expect(open.code).toBe(2);
    expect(open.out).toContain('refusing to listen on 0.0.0.0 without authentication');
  });

  it('prints every option with --help', async () => {
    const help = await runToEnd(command(['--help']));
    expect(help.code).toBe(0);
    for (const flag of [
      '--port',
      '--token',
      '--token-issue-secret',
      '--agent-token',
      '--allowed-origins',
      '--unix-socket',
      '--tls-cert',
    ]) {
      expect(help.out).toContain(flag);
    }
  });
});
