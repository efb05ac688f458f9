/** A pending approval outlives a relay killed with SIGKILL (Node and Deno, on a data directory): answerable once after it. */

import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerFrame, ChatEvent } from '../../shared/index.ts';
import { converse, TestClient } from '../helpers/client.ts';
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

function kill9(r: RelayProcess): Promise<void> {
  return new Promise((resolve) => {
    r.proc.once('exit', () => resolve());
    if (r.proc.pid) process.kill(r.proc.pid, 'SIGKILL');
  });
}

function folded(events: ChatEvent[]): Transcript {
  const t = new Transcript();
  for (const e of events) t.apply(e);
  return t;
}

describe.each(RELAY_RUNTIMES)('a %s relay on a data directory', (_name, command) => {
  it(
    'killed with SIGKILL keeps a pending approval answerable, once, and keeps its answer',
    { timeout: 60_000 },
    async () => {
      const { dir, remove } = tempDataDir();
      dirs.push(remove);
      const env = { PARLEY_DATA_DIR: dir };
      const args = ['--port', '0', '--demo-delay-ms', '1'];
      const first = await startRelayProcess(command(args), env);
      running.push(first);
      const asker = await TestClient.connect(first.wsBase);
      clients.push(asker);
      asker.send({ type: 'subscribe', chat_id: 'hitl' });
      await asker.waitType('subscribed');
      await converse(asker, 'hitl', '/approve', 'm-1');
      const raised = await asker.waitType('request');
      await kill9(first);

      const second = await startRelayProcess(command(args), env);
      running.push(second);
      const before = await replayOf(second.wsBase, 'hitl');
      clients.push(before.client);
      const pending = folded(before.events).get(raised.message_id)?.requests?.[0];
      expect(pending).toMatchObject({ kind: 'approval', id: raised.request.id });
      expect(pending?.answer).toBeUndefined();

      const answer = (id: string): AnswerFrame => ({
        type: 'answer',
        chat_id: 'hitl',
        client_msg_id: id,
        message_id: raised.message_id,
        request_id: raised.request.id,
        answer: { kind: 'approval', decision: 'allow_once' },
        device: id,
      });
      const from = before.client.frames.length;
      before.client.send(answer('phone'));
      await before.client.waitType('ack', (a) => a.client_msg_id === 'phone', from);
      const start = await before.client.waitType('turn_start', (t) => t.reply_to === raised.message_id, from);
      await before.client.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
      await kill9(second);

      const third = await startRelayProcess(command(args), env);
      running.push(third);
      const after = await replayOf(third.wsBase, 'hitl');
      clients.push(after.client);
      const transcript = folded(after.events);
      expect(transcript.get(raised.message_id)?.requests?.[0]).toMatchObject({
        answer: { kind: 'approval', decision: 'allow_once' },
        answered_by: { device: 'phone' },
      });
      expect(transcript.get(start.message_id)?.text).toContain('removed 12 files');
      // Answered before the crash, so a second device is refused after it; the reply is not run twice.
      const late = after.client.frames.length;
      after.client.send(answer('laptop'));
      expect(await after.client.waitType('error', (e) => e.ref === 'laptop', late)).toMatchObject({
        code: 'request_answered',
      });
      expect(after.events.filter((e) => e.type === 'message' && e.message.role === 'assistant')).toHaveLength(2);
    },
  );
});
