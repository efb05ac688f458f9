/** Fault suite, relay edge (issue 12 items 1, 2, 9a–9d): each scenario an attack the relay once failed, by name. */

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { agentBudget, RemoteAgent } from '../../relay/agents/remote.ts';
import { DEFAULTS } from '../../relay/config.ts';
import { createLogger } from '../../relay/core/logger.ts';
import { HandshakeError, TestClient } from '../helpers/client.ts';
import { RawAgent } from '../helpers/raw-agent.ts';
import { httpWith, rawExchange, upgradeRequest, writeThenReset } from '../helpers/raw-peer.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { RELAY_RUNTIMES, ROOT, startRelayProcess } from '../helpers/spawn.ts';
import { verdict } from './verdict.ts';

const SECRET = 'issue-secret-0123456789abcdef';
const AGENT_TOKEN = 'agent-token-0123456789abcdef';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function relay(config: Parameters<typeof startRelay>[0], agent?: RemoteAgent): Promise<TestRelay> {
  const r = await startRelay(config, agent);
  stops.push(() => r.close());
  return r;
}

/**
 * A static root with symlinks in it, inside the repository so a Deno relay may read it (and the
 * file outside the root too: the symlink, not a missing permission, must be what stops it).
 */
function symlinkedSite(): string {
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'build', 'faults-static-'));
  stops.push(async () => rmSync(dir, { recursive: true, force: true }));
  const site = join(dir, 'site');
  mkdirSync(site);
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'secret.txt'), 'the secret outside the root');
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Parley</title>');
  writeFileSync(join(site, 'inside.txt'), 'inside');
  symlinkSync('inside.txt', join(site, 'alias.txt'));
  symlinkSync('../outside/secret.txt', join(site, 'leak.txt'));
  symlinkSync('../outside', join(site, 'linked'));
  return site;
}

/** A handshake's HTTP status: 101 when it opens (the socket is then closed again). */
async function handshake(base: string, token: string): Promise<number> {
  try {
    const c = await TestClient.connect(base, { token });
    c.close();
    await c.waitClose();
    return 101;
  } catch (err) {
    if (err instanceof HandshakeError) return err.status;
    throw err;
  }
}

describe.each(RELAY_RUNTIMES)('issue 12 item 1 on %s', (name, command) => {
  it('1: refused upgrades whose peer resets the connection do not take the relay down', async () => {
    const token = 'client-token-0123456789abcdef';
    const running = await startRelayProcess(command(['--port', '0', '--token', token]));
    stops.push(() => running.stop());
    const port = Number(new URL(running.url).port);
    const host = `127.0.0.1:${port}`;
    for (let i = 0; i < 30; i++) {
      await writeThenReset(port, upgradeRequest('/ws', { Host: host, Origin: 'https://evil.example' }));
      await writeThenReset(port, upgradeRequest('/nowhere', { Host: host }));
      await writeThenReset(port, upgradeRequest('/ws?token=wrong-token-0123456789', { Host: host }));
    }
    const health = await fetch(`${running.url}/healthz`).then(
      (res) => `answers ${res.status}`,
      () =>
        `no answer; the process ${running.proc.exitCode === null ? 'hangs' : `exited with ${running.proc.exitCode}`}`,
    );
    verdict(`1 reset refused upgrades (${name})`, '/healthz after 90 refused upgrades + RST', 'answers 200', health);
  });
});

describe('issue 12 item 2: DNS rebinding', () => {
  it('2: a page under a rebound name (Host and Origin rebind.evil.example) reaches no endpoint', async () => {
    const r = await relay({});
    const port = r.server.port;
    const host = `rebind.evil.example:${port}`;
    const origin = `http://${host}`;
    const ws = await rawExchange(port, upgradeRequest('/ws', { Host: host, Origin: origin }));
    const chat = await httpWith(
      port,
      'POST',
      '/v1/chat/completions',
      { host, origin, 'content-type': 'application/json' },
      JSON.stringify({ messages: [{ role: 'user', content: 'run my tools' }] }),
    );
    const outcome = {
      ws: ws.slice(9, 12),
      completions: chat.status,
      allowOrigin: chat.headers['access-control-allow-origin'] ?? 'none',
      healthz: (await httpWith(port, 'GET', '/healthz', { host })).status,
    };
    const expected = { ws: '421', completions: 421, allowOrigin: 'none', healthz: 421 };
    verdict('2 DNS rebinding', 'statuses under the rebound Host', expected, outcome);
  });
});

describe('issue 12 item 9: smaller edges', () => {
  it('9a: a handshake refused for the per-address cap (429) does not spend its issued token', async () => {
    const r = await relay({ tokenIssueSecret: SECRET, maxConnectionsPerIp: 1 });
    const issue = async () => {
      const res = await fetch(`${r.httpBase}/auth/token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}` },
      });
      return ((await res.json()) as { token: string }).token;
    };
    const holder = await TestClient.connect(r.wsBase, { token: await issue() });
    const token = await issue();
    verdict('9a per-address cap', 'second handshake while one is open', 429, await handshake(r.wsBase, token));
    holder.close();
    await holder.waitClose();
    for (let i = 0; i < 100 && r.relay.health().clients > 0; i++) await new Promise((res) => setTimeout(res, 20));
    verdict('9a per-address cap', 'the same token once the cap allows it', 101, await handshake(r.wsBase, token));
  });

  it('9c: an agent event naming another chat_id is refused with a typed error and lands nowhere', async () => {
    const r = await relay({ agent: 'remote', agentToken: AGENT_TOKEN });
    const agent = await RawAgent.connect(r.wsBase, AGENT_TOKEN);
    stops.push(async () => agent.close());
    const user = await TestClient.connect(r.wsBase);
    stops.push(async () => user.close());
    for (const chat_id of ['c-home', 'c-other']) {
      user.send({ type: 'subscribe', chat_id });
      await user.waitType('subscribed', (s) => s.chat_id === chat_id);
    }
    await user.waitFor((fs) => fs.find((f) => (f.type === 'ready' || f.type === 'agent_state') && f.agent.online));
    user.send({ type: 'send', chat_id: 'c-home', client_msg_id: 'm1', text: 'hi' });
    const { turn_id } = await agent.waitFor('turn');
    const from = agent.frames.length;
    agent.send({ type: 'delta', chat_id: 'c-other', turn_id, text: 'STRAY ' });
    agent.send({ type: 'turn_end', chat_id: 'c-other', turn_id, status: 'done' });
    agent.send({ type: 'delta', chat_id: 'c-home', turn_id, text: 'hello' });
    agent.send({ type: 'turn_end', chat_id: 'c-home', turn_id, status: 'done' });
    await user.waitType('turn_end', (e) => e.turn_id === turn_id);
    const errors = agent.frames.slice(from).flatMap((f) => (f.type === 'error' ? [`${f.code} ref=${f.ref}`] : []));
    const scenario = '9c agent event for another chat';
    verdict(scenario, 'errors the agent got', [`wrong_chat ref=${turn_id}`, `wrong_chat ref=${turn_id}`], errors);
    const text = (chat: string) =>
      user
        .events(chat)
        .flatMap((e) => (e.type === 'delta' ? [e.text] : []))
        .join('');
    verdict(scenario, 'reply text in the turn chat', 'hello', text('c-home'));
    verdict(scenario, 'events in the other chat', 0, user.events('c-other').length);
  });
});

describe.each(RELAY_RUNTIMES)('issue 12 item 9b on %s', (name, command) => {
  it('9b: static files never follow a symlink out of their root', async () => {
    const site = symlinkedSite();
    const running = await startRelayProcess(command(['--port', '0', '--static', site]));
    stops.push(() => running.stop());
    const get = async (path: string) => {
      const res = await fetch(`${running.url}${path}`);
      return `${res.status} ${(await res.text()).slice(0, 40)}`;
    };
    const scenario = `9b symlinks out of the static root (${name})`;
    verdict(scenario, 'GET /leak.txt (a symlink to a file outside)', '404 not found', await get('/leak.txt'));
    verdict(
      scenario,
      'GET /linked/secret.txt (a symlinked directory)',
      '404 not found',
      await get('/linked/secret.txt'),
    );
    verdict(scenario, 'GET /alias.txt (a symlink inside the root)', '200 inside', await get('/alias.txt'));
  });
});

describe('issue 12 item 9d: an agent flooding the relay', () => {
  /** A relay whose agent budget runs on a clock the test moves, so what passes is exact. */
  async function budgeted(limits: {
    agentRateLimit: number;
    agentRateBurst: number;
    agentByteRate: number;
    maxFrameBytes: number;
  }) {
    let clock = 1_000_000;
    const agentSide = new RemoteAgent(createLogger('silent'), agentBudget({ ...DEFAULTS, ...limits }), () => clock);
    const r = await relay({ agent: 'remote', agentToken: AGENT_TOKEN, maxFrameBytes: limits.maxFrameBytes }, agentSide);
    const agent = await RawAgent.connect(r.wsBase, AGENT_TOKEN);
    stops.push(async () => agent.close());
    const user = await TestClient.connect(r.wsBase);
    stops.push(async () => user.close());
    user.send({ type: 'subscribe', chat_id: 'c-flood' });
    await user.waitType('subscribed');
    await user.waitFor((fs) => fs.find((f) => (f.type === 'ready' || f.type === 'agent_state') && f.agent.online));
    user.send({ type: 'send', chat_id: 'c-flood', client_msg_id: 'm1', text: 'go' });
    const { turn_id } = await agent.waitFor('turn');
    return { agent, user, turn_id, advance: (ms: number) => (clock += ms) };
  }

  /** Sends `deltas`, waits until each was either applied or refused, then refills the budget and ends the turn. */
  async function flood(t: Awaited<ReturnType<typeof budgeted>>, deltas: string[]) {
    const from = t.agent.frames.length;
    for (const text of deltas) t.agent.send({ type: 'delta', chat_id: 'c-flood', turn_id: t.turn_id, text });
    const errors = () => t.agent.frames.slice(from).filter((f) => f.type === 'error');
    const applied = () => t.user.events('c-flood').filter((e) => e.type === 'delta').length;
    await t.user.waitFor(() => (applied() + errors().length >= deltas.length ? true : undefined), 'every delta judged');
    // The connection is still usable after a flood: once the budget refills, the turn ends normally.
    t.advance(60_000);
    t.agent.send({ type: 'turn_end', chat_id: 'c-flood', turn_id: t.turn_id, status: 'done' });
    const end = await t.user.waitType('turn_end', (e) => e.turn_id === t.turn_id);
    const codes = [...new Set(errors().map((e) => (e.type === 'error' ? e.code : e.type)))];
    return { applied: applied(), refused: errors().length, codes, end: end.status };
  }

  it('9d: frames over the agent frame budget are refused with rate_limited; the connection stays usable', async () => {
    const t = await budgeted({
      agentRateLimit: 10,
      agentRateBurst: 20,
      agentByteRate: 1 << 20,
      maxFrameBytes: 1 << 20,
    });
    const outcome = await flood(
      t,
      Array.from({ length: 100 }, (_, i) => `piece ${i} `),
    );
    verdict(
      '9d agent frame budget',
      '100 deltas against a burst of 20, hello having used one (clock still)',
      { applied: 19, refused: 81, codes: ['rate_limited'], end: 'done' },
      outcome,
    );
  });

  it('9d: bytes over the agent byte budget are refused with rate_limited', async () => {
    // The byte bucket holds at least one frame of --max-frame-bytes (1 MiB here), and the reply itself must stay
    // under the message limit that frame size sets, so the flood is ten frames of ~150 KB: six fit, four do not.
    const t = await budgeted({
      agentRateLimit: 1000,
      agentRateBurst: 1000,
      agentByteRate: 4096,
      maxFrameBytes: 1 << 20,
    });
    const outcome = await flood(
      t,
      Array.from({ length: 10 }, () => 'x'.repeat(150_000)),
    );
    verdict(
      '9d agent byte budget',
      '10 frames of ~150 KB against a 1 MiB bucket (clock still)',
      { applied: 6, refused: 4, codes: ['rate_limited'], end: 'done' },
      outcome,
    );
  });
});
