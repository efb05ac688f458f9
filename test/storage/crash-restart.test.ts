/** A relay killed with SIGKILL mid-reply and restarted on its data directory, on Node and on Deno: nothing acked is lost, nothing doubled. */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AckFrame } from '../../shared/index.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { RELAY_RUNTIMES, type RelayProcess, runToEnd, startRelayProcess } from '../helpers/spawn.ts';
import { Transcript } from '../helpers/transcript.ts';
import { replayOf, tempDataDir } from './history-helpers.ts';

const running: RelayProcess[] = [];
const clients: TestClient[] = [];
const dirs: (() => void)[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) await r.stop();
  for (const remove of dirs.splice(0)) remove();
});

async function health(r: RelayProcess): Promise<{ epoch: string; history: Record<string, unknown> }> {
  return (await (await fetch(`${r.url}/healthz`)).json()) as { epoch: string; history: Record<string, unknown> };
}

async function connect(base: string, chatId: string, resume = {}): Promise<TestClient> {
  const c = await TestClient.connect(base);
  clients.push(c);
  c.send({ type: 'subscribe', chat_id: chatId, ...resume });
  await c.waitType('subscribed');
  return c;
}

function kill9(r: RelayProcess): Promise<void> {
  return new Promise((resolve) => {
    r.proc.once('exit', () => resolve());
    if (r.proc.pid) process.kill(r.proc.pid, 'SIGKILL');
  });
}

describe.each(RELAY_RUNTIMES)('a %s relay on a data directory', (_name, command) => {
  it('killed with SIGKILL mid-reply keeps every acked event and its epoch; a resuming client gets exactly what it missed', async () => {
    const { dir, remove } = tempDataDir();
    dirs.push(remove);
    const env = { PARLEY_DATA_DIR: dir };
    const args = ['--port', '0', '--demo-delay-ms', '2', '--replay-max-events', '10'];
    const first = await startRelayProcess(command(args), env);
    running.push(first);
    const { epoch } = await health(first);
    const sender = await connect(first.wsBase, 'crash');
    const follower = await connect(first.wsBase, 'crash');
    for (let i = 0; i < 8; i++) await converse(sender, 'crash', `message ${i}`, `m-${i}`);
    // A long streamed reply is running, and more messages are queued behind it, when the relay dies. The reply is far
    // too long to finish first however slow the acks below are (an fsync on a busy disk can take seconds).
    sender.send({ type: 'send', chat_id: 'crash', client_msg_id: 'long', text: '/long 100000' });
    // Thirty deltas of that reply, not of the earlier ones: counting every delta once let the relay die before the
    // long reply had streamed anything (a CI flake).
    const longTurn = await follower.waitType('turn_start', (e) => e.reply_to === 'long');
    await follower.waitFor((fs) =>
      fs.filter((f) => f.type === 'delta' && f.turn_id === longTurn.turn_id).length >= 30 ? true : undefined,
    );
    for (let i = 0; i < 3; i++)
      sender.send({ type: 'send', chat_id: 'crash', client_msg_id: `q-${i}`, text: `queued ${i}` });
    await sender.waitType('ack', (a) => a.client_msg_id === 'q-0');
    await kill9(first);
    const acked = sender.frames.filter((f): f is AckFrame => f.type === 'ack');
    const seen = follower.events('crash');
    expect(seen.some((e) => e.type === 'turn_end' && e.turn_id === longTurn.turn_id)).toBe(false);
    const lastSeen = Math.max(...seen.map((e) => e.seq));

    const second = await startRelayProcess(command(args), env);
    running.push(second);
    expect((await health(second)).epoch).toBe(epoch);
    const resumed = await replayOf(second.wsBase, 'crash', { epoch, after_seq: lastSeen });
    clients.push(resumed.client);
    expect(resumed.sub.recovered).toBe(true);
    // No doubles: nothing at or below the cursor comes again.
    expect(resumed.events.every((e) => e.seq > lastSeen)).toBe(true);
    const fresh = await replayOf(second.wsBase, 'crash');
    clients.push(fresh.client);
    expect(fresh.sub.recovered).toBe(true);
    // Every acked message is there, at the seq its ack named.
    for (const ack of acked) {
      const at = fresh.events.find((e) => e.seq === ack.seq);
      expect(at?.type === 'message' && at.message.id === ack.message_id, ack.client_msg_id).toBe(true);
    }
    // No loss: the follower, live then resumed, holds what a new device gets.
    const followed = new Transcript();
    for (const e of [...seen, ...resumed.events]) followed.apply(e);
    const whole = new Transcript();
    for (const e of fresh.events) whole.apply(e);
    // Compared by id: a compacted reply sits at its turn_end, after messages sent while it streamed, where a live
    // follower met it at its turn_start. A reply folded live has no creation time (as in one-reducer.test).
    const timeless = (t: Transcript) =>
      t.messages
        .map((m) => (m.role === 'assistant' ? { ...m, created_at: 0 } : m))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(timeless(followed)).toEqual(timeless(whole));
    const reply = whole.messages.find((m) => m.role === 'assistant' && m.text.length > 0 && m.status === 'error');
    expect(reply?.error).toContain('relay stopped');
    expect(acked.length).toBeGreaterThanOrEqual(10);
    // The chat goes on in the same epoch after the restart.
    const after = await connect(second.wsBase, 'crash', { epoch, after_seq: fresh.sub.head_seq });
    expect((await converse(after, 'crash', 'after the crash', 'm-after')).status).toBe('done');
    expect((await health(second)).history).toMatchObject({ kind: 'files', ok: true, location: dir });
  });

  it('refuses to start on a data directory it cannot write, saying why', async () => {
    const { dir, remove } = tempDataDir();
    dirs.push(remove);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const result = await runToEnd(command(['--port', '0']), { PARLEY_DATA_DIR: join(file, 'data') });
    expect(result.code).toBe(1);
    expect(result.out).toContain(`--data-dir ${join(file, 'data')} cannot be used`);
  });
});
