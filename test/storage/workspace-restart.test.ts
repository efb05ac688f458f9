/** A relay killed with SIGKILL in the middle of a burst of workspace writes, on Node and Deno: every acked write comes back once, a resend doubles nothing. */

import { afterEach, describe, expect, it } from 'vitest';
import {
  wins,
  WORKSPACE_CHAT_ID,
  type AckFrame,
  type WorkspaceChange,
  type WorkspaceWriteFrame,
} from '../../shared/index.ts';
import { TestClient } from '../helpers/client.ts';
import { changesOf, workspaceState } from '../helpers/workspace-state.ts';
import { RELAY_RUNTIMES, type RelayProcess, startRelayProcess } from '../helpers/spawn.ts';
import { replayOf, tempDataDir } from './history-helpers.ts';

const running: RelayProcess[] = [];
const clients: TestClient[] = [];
const dirs: (() => void)[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) await r.stop();
  for (const remove of dirs.splice(0)) remove();
});

function kill9(r: RelayProcess): Promise<void> {
  return new Promise((resolve) => {
    r.proc.once('exit', () => resolve());
    if (r.proc.pid) process.kill(r.proc.pid, 'SIGKILL');
  });
}

/** Write i: a rename and a pin of one chat, with stamps no other write has. */
function write(i: number): WorkspaceWriteFrame {
  const at = (k: number) => `${String(1_700_000_000_000 + i).padStart(15, '0')}.${String(k).padStart(6, '0')}.dev`;
  const changes: WorkspaceChange[] = [
    { chat: `c-${i % 7}`, field: 'title', value: `name ${i}`, at: at(0) },
    { chat: `c-${i % 7}`, field: 'pinned', value: i % 2 === 0, at: at(1) },
  ];
  return { type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: `w-${i}`, changes };
}

const stampsOf = (events: { type: string }[]) =>
  events.flatMap((e) =>
    'changes' in e && Array.isArray(e.changes) ? e.changes.map((c: WorkspaceChange) => c.at) : [],
  );

describe.each(RELAY_RUNTIMES)('the workspace on a %s relay killed mid-write', (_name, command) => {
  it(
    'keeps every acked write exactly once across the kill, and a resend of all of them adds none',
    { timeout: 120_000 },
    async () => {
      const { dir, remove } = tempDataDir();
      dirs.push(remove);
      const env = { PARLEY_DATA_DIR: dir };
      // The burst is one client's outbox after a long time offline: the frame rate is not what is tested here.
      const args = ['--port', '0', '--rate-limit', '5000', '--rate-burst', '5000', '--credential-rate-limit', '5000'];
      const first = await startRelayProcess(command(args), env);
      running.push(first);
      const writer = await TestClient.connect(first.wsBase);
      clients.push(writer);
      writer.send({ type: 'subscribe', chat_id: WORKSPACE_CHAT_ID });
      await writer.waitType('subscribed');
      const total = 1500;
      // A burst far longer than the relay can ack before the kill: the kill lands while writes are arriving.
      for (let i = 0; i < total; i++) writer.send(write(i));
      await writer.waitType('ack', (a) => a.client_msg_id === 'w-20');
      await kill9(first);
      const acked = writer.frames.filter((f): f is AckFrame => f.type === 'ack');
      expect(acked.length).toBeGreaterThanOrEqual(21);
      expect(acked.length).toBeLessThan(total);
      console.log(`  workspace writes acked before the kill: ${acked.length} of ${total}`);

      const second = await startRelayProcess(command(args), env);
      running.push(second);
      const fresh = await replayOf(second.wsBase, WORKSPACE_CHAT_ID);
      clients.push(fresh.client);
      const stamps = stampsOf(fresh.events);
      // Nothing doubled, and every acked write at the seq its ack named, or beaten there by a newer write of its
      // field (a compaction, after 1,000 changes, keeps only the winners).
      expect(new Set(stamps).size).toBe(stamps.length);
      const replayed = changesOf(fresh.events);
      for (const ack of acked) {
        const event = fresh.events.find((e) => e.seq === ack.seq);
        const mine = write(Number(ack.client_msg_id.slice(2))).changes;
        for (const change of mine) {
          const atItsSeq = event?.type === 'workspace' && event.changes.some((c) => c.at === change.at);
          const beaten = replayed.some((c) => c.chat === change.chat && c.field === change.field && wins(change, c));
          expect(atItsSeq || beaten, `${ack.client_msg_id} ${change.field}`).toBe(true);
        }
      }

      // The writer's outbox sends everything again (it cannot know which unacked ones landed): each is taken once.
      const again = await TestClient.connect(second.wsBase);
      clients.push(again);
      again.send({ type: 'subscribe', chat_id: WORKSPACE_CHAT_ID });
      await again.waitType('subscribed');
      for (let i = 0; i < total; i++) again.send(write(i));
      await again.waitFor(
        (fs) => (fs.filter((f) => f.type === 'ack').length >= total ? true : undefined),
        'acks',
        30_000,
      );
      const firstAcks = new Map(acked.map((a) => [a.client_msg_id, a.seq]));
      for (const ack of again.frames.filter((f): f is AckFrame => f.type === 'ack')) {
        const before = firstAcks.get(ack.client_msg_id);
        if (before !== undefined) expect(ack.seq, ack.client_msg_id).toBe(before);
      }
      const whole = await replayOf(second.wsBase, WORKSPACE_CHAT_ID);
      clients.push(whole.client);
      const all = stampsOf(whole.events);
      expect(new Set(all).size).toBe(all.length);
      // 3,000 changes went in, so the log was compacted: what it holds merges to what all of them merge to.
      const everything = Array.from({ length: total }, (_, i) => write(i).changes).flat();
      expect(workspaceState(changesOf(whole.events))).toEqual(workspaceState(everything));
      expect(all.length).toBeLessThan(total * 2);
      console.log(
        `  after the restart and a resend of all ${total}: ${all.length} of ${total * 2} changes held, none twice`,
      );
    },
  );
});
