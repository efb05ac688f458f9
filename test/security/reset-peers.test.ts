/** Issue 12 item 1: peers that reset their connection mid-request never take a relay process down, on either runtime. */

import { afterEach, describe, expect, it } from 'vitest';
import { upgradeRequest, writeThenReset } from '../helpers/raw-peer.ts';
import { RELAY_RUNTIMES, type RelayProcess, startRelayProcess } from '../helpers/spawn.ts';

const TOKEN = 'client-token-0123456789abcdef';
const ATTEMPTS = 60;

let running: RelayProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Each request the relay refuses or answers, written and then reset before the answer goes out. */
function misbehaviours(port: number): [string, string][] {
  const host = { Host: `127.0.0.1:${port}` };
  return [
    ['a refused Origin', upgradeRequest('/ws', { ...host, Origin: 'https://evil.example' })],
    ['a wrong path', upgradeRequest('/nowhere', host)],
    ['a wrong token', upgradeRequest('/ws?token=wrong-token-0123456789', host)],
    ['a wrong agent token', upgradeRequest('/agent', { ...host, Authorization: 'Bearer wrong-token-0123456789' })],
    ['a malformed request', 'GET / HTTP/1.1\r\nHost\r\n\r\n'],
    [
      'a cut request body',
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 500\r\n\r\n{"mod`,
    ],
    ['a plain GET', `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`],
  ];
}

describe.each(RELAY_RUNTIMES)('a %s relay', (_name, command) => {
  it('keeps serving after refused requests whose peer resets the connection', async () => {
    running = await startRelayProcess(
      command(['--port', '0', '--token', TOKEN, '--agent', 'remote', '--agent-token', `a-${TOKEN}`]),
    );
    const port = Number(new URL(running.url).port);
    for (const [what, request] of misbehaviours(port)) {
      for (let i = 0; i < ATTEMPTS; i++) await writeThenReset(port, request);
      const health = await fetch(`${running.url}/healthz`).then(
        (res) => res.status,
        (err: unknown) => `no answer (${String(err)})`,
      );
      expect(
        health,
        `after ${ATTEMPTS} × ${what} + RST: /healthz; relay output:\n${running.output().slice(-1500)}`,
      ).toBe(200);
    }
    expect(running.proc.exitCode, 'the relay process is still running').toBeNull();
    expect(running.output()).not.toMatch(/ECONNRESET|Uncaught|panicked/);
  });
});
