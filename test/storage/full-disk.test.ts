/**
 * A relay whose disk fills up, on Node and on Deno: it says so (`/healthz`, a typed error on send), acknowledges
 * nothing it could not keep, and what it had kept is whole after a restart with room again.
 *
 * The full disk is a file-size limit (`ulimit -f`) on the relay process: a write past it fails with EFBIG after
 * writing part of its bytes, as a write to a full disk fails with ENOSPC after a partial write. The shell ignores
 * SIGXFSZ before exec, so the process sees the error instead of being killed by the signal.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { AckFrame, RelayFrame } from '../../shared/index.ts';
import { TestClient } from '../helpers/client.ts';
import { RELAY_RUNTIMES, type RelayProcess, startRelayProcess } from '../helpers/spawn.ts';
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

/** 24 KB per file (dash counts `ulimit -f` in 512-byte blocks): room for a few exchanges of one chat. */
const LIMIT_BLOCKS = 48;

function limited([cmd, args]: [string, string[]]): [string, string[]] {
  return ['/bin/sh', ['-c', `trap '' XFSZ; ulimit -S -f ${LIMIT_BLOCKS}; exec "$0" "$@"`, cmd, ...args]];
}

/** Lifts the file-size limit of the running relay (util-linux `prlimit`): the disk has room again. */
async function lift(r: RelayProcess): Promise<void> {
  execFileSync('prlimit', [`--pid=${r.proc.pid}`, '--fsize=unlimited']);
}

async function health(r: RelayProcess): Promise<{ status: string; history: Record<string, unknown> }> {
  return (await (await fetch(`${r.url}/healthz`)).json()) as { status: string; history: Record<string, unknown> };
}

describe.each(RELAY_RUNTIMES)('a %s relay whose disk fills up', (_name, command) => {
  it('stops the reply it cannot keep, refuses sends with a typed error, heals when there is room, and keeps every record whole', async () => {
    const { dir, remove } = tempDataDir();
    dirs.push(remove);
    const env = { PARLEY_DATA_DIR: dir };
    const args = ['--port', '0', '--demo-delay-ms', '1'];
    const relay = await startRelayProcess(limited(command(args)), env);
    running.push(relay);
    const c = await TestClient.connect(relay.wsBase);
    clients.push(c);
    c.send({ type: 'subscribe', chat_id: 'full' });
    await c.waitType('subscribed');

    // Talk until the disk fills: in the middle of a streamed reply, which the relay stops and says so.
    const cutOff = (f: RelayFrame) => f.type === 'error' && f.chat_id === 'full' && f.ref === undefined;
    for (let i = 0; i < 100 && !c.frames.some(cutOff); i++) {
      const from = c.frames.length;
      c.send({ type: 'send', chat_id: 'full', client_msg_id: `m-${i}`, text: `message ${i} `.repeat(20) });
      await c.waitType('ack', (a) => a.client_msg_id === `m-${i}`, from);
      await c.waitFor((fs) => fs.slice(from).find((f) => f.type === 'turn_end' || cutOff(f)));
    }
    const notice = c.frames.find(cutOff);
    expect(notice).toMatchObject({ code: 'storage_unavailable', message: expect.stringMatching(/could not write/) });
    const status = await health(relay);
    expect(status.history).toMatchObject({ kind: 'files', ok: false });
    expect(String(status.history.error)).toMatch(/EFBIG|too large/i);

    // A send now is refused with a typed error, not acked; the connection stays usable.
    c.send({ type: 'send', chat_id: 'full', client_msg_id: 'later', text: 'written while the disk is full' });
    expect((await c.waitType('error', (e) => e.ref === 'later')).code).toBe('storage_unavailable');
    c.send({ type: 'ping', nonce: 'still-there' });
    await c.waitType('pong');

    // Room again (the limit lifted on the running process): the relay takes the send, once, without a restart. The
    // reply it stopped ends first, with the reason; then the new message is answered.
    await lift(relay);
    let ack: AckFrame | undefined;
    for (let i = 0; i < 50 && !ack; i++) {
      const from = c.frames.length;
      c.send({ type: 'send', chat_id: 'full', client_msg_id: 'later', text: 'written while the disk is full' });
      const answer = await c.waitFor((fs) =>
        fs
          .slice(from)
          .find((f) => (f.type === 'ack' && f.client_msg_id === 'later') || (f.type === 'error' && f.ref === 'later')),
      );
      if (answer.type === 'ack') ack = answer;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(ack).toBeDefined();
    await c.waitType('turn_end', (e) => e.status === 'done' && e.seq > (ack?.seq ?? 0));
    expect((await health(relay)).history).toMatchObject({ ok: true });
    const live = new Transcript();
    for (const e of c.events('full')) live.apply(e);
    const stopped = live.messages.filter((m) => m.role === 'assistant' && m.status === 'error');
    expect(stopped.map((m) => m.error)).toEqual([notice?.type === 'error' ? notice.message : '']);
    const acked = c.frames.filter((f): f is AckFrame => f.type === 'ack').map((a) => a.client_msg_id);
    await relay.stop();

    // After a restart: every acknowledged message once, in order, the stopped reply as it ended, no damaged record.
    const again = await startRelayProcess(command(args), env);
    running.push(again);
    const kept = await replayOf(again.wsBase, 'full');
    clients.push(kept.client);
    const whole = new Transcript();
    for (const e of kept.events) whole.apply(e);
    expect(whole.messages.filter((m) => m.role === 'user').map((m) => m.id)).toEqual(acked);
    expect(whole.messages.map((m) => [m.id, m.text, m.status])).toEqual(
      live.messages.map((m) => [m.id, m.text, m.status]),
    );
    expect(again.output()).not.toMatch(/damaged/);
    const files = readdirSync(join(dir, 'chats')).filter((f) => f.endsWith('.log'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, 'chats', files[0] ?? ''), 'utf8').endsWith('\n')).toBe(true);
  });
});
