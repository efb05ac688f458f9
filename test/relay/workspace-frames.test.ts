/** The workspace frames on the wire, on Node and on Deno: every malformed or misdirected one gets a typed error naming it, and the connection goes on. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_CHAT_ID, WORKSPACE_LIMITS, type WorkspaceChange } from '../../shared/index.ts';
import { TestClient } from '../helpers/client.ts';
import { startRelay } from '../helpers/relay.ts';
import { denoRelayCommand, startRelayProcess } from '../helpers/spawn.ts';

/** A relay on loopback: its WebSocket base and how to stop it. */
type Start = () => Promise<{ wsBase: string; close(): Promise<unknown> }>;
const RUNTIMES: [string, Start][] = [
  ['node, in process', () => startRelay()],
  [
    'deno',
    async () => {
      const r = await startRelayProcess(denoRelayCommand(['--port', '0', '--data-dir', 'none']));
      return { wsBase: r.wsBase, close: () => r.stop() };
    },
  ],
];

describe.each(RUNTIMES)('workspace frames on a %s relay', (_name, start) => {
  let relay: Awaited<ReturnType<Start>>;
  let client: TestClient;
  beforeAll(async () => {
    relay = await start();
    client = await TestClient.connect(relay.wsBase);
    client.send({ type: 'subscribe', chat_id: WORKSPACE_CHAT_ID });
    await client.waitType('subscribed');
  }, 30_000);
  afterAll(async () => {
    client.close();
    await relay.close();
  });

  const good: WorkspaceChange = { chat: 'c-1', field: 'title', value: 'Trip', at: '000001700000000.000000.dev-a' };
  let n = 0;

  /** Sends raw JSON and returns the answer naming its client_msg_id. */
  async function answer(fields: Record<string, unknown>) {
    const id = `w-${++n}`;
    const from = client.frames.length;
    client.raw(JSON.stringify({ type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: id, ...fields }));
    return client.waitFor(
      (fs) =>
        fs
          .slice(from)
          .find((f) => (f.type === 'ack' && f.client_msg_id === id) || (f.type === 'error' && f.ref === id)),
      `answer to ${id}`,
    );
  }

  it.each([
    ['no changes', { changes: [] }, 'invalid_field', 'changes is empty'],
    ['changes not an array', { changes: 'title=Trip' }, 'invalid_field', 'changes must be an array'],
    ['a clock stamp that is not one', { changes: [{ ...good, at: 'yesterday' }] }, 'invalid_field', '.at'],
    ['a field name with a space', { changes: [{ ...good, field: 'my title' }] }, 'invalid_field', '.field'],
    ['an object as a value', { changes: [{ ...good, value: { nested: true } }] }, 'invalid_field', '.value'],
    [
      'an overlong string value',
      { changes: [{ ...good, value: 'x'.repeat(WORKSPACE_LIMITS.maxValueChars + 1) }] },
      'invalid_field',
      '.value',
    ],
    ['a bad chat id in a change', { changes: [{ ...good, chat: 'no spaces allowed' }] }, 'invalid_chat_id', '.chat'],
    [
      'too many changes',
      { changes: Array.from({ length: WORKSPACE_LIMITS.maxChanges + 1 }, () => good) },
      'invalid_field',
      'more than',
    ],
    ['a chat other than the workspace channel', { chat_id: 'c-1', changes: [good] }, 'wrong_channel', 'workspace'],
  ])('refuses %s with a typed error naming the frame', async (_what, fields, code, message) => {
    const reply = await answer(fields);
    expect(reply).toMatchObject({ type: 'error', code });
    expect(reply.type === 'error' ? reply.message : '').toContain(message);
    // Still usable: a good write right after is taken.
    expect(await answer({ changes: [good] })).toMatchObject({ type: 'ack' });
  });

  it('refuses turn frames on the workspace channel, so the agent never sees it', async () => {
    const from = client.frames.length;
    client.send({ type: 'send', chat_id: WORKSPACE_CHAT_ID, client_msg_id: 's-1', text: 'hello' });
    client.send({ type: 'action', chat_id: WORKSPACE_CHAT_ID, client_msg_id: 's-2', message_id: 'm', action_id: 'a' });
    client.send({ type: 'history', chat_id: WORKSPACE_CHAT_ID, request_id: 's-3' });
    const answer_ = { kind: 'approval', decision: 'allow_once' } as const;
    client.send({
      type: 'answer',
      chat_id: WORKSPACE_CHAT_ID,
      client_msg_id: 's-4',
      message_id: 'm',
      request_id: 'r',
      answer: answer_,
    });
    const errors = await client.waitFor((fs) => {
      const found = fs.slice(from).filter((f) => f.type === 'error');
      return found.length >= 4 ? found : undefined;
    });
    expect(errors.map((e) => (e.type === 'error' ? [e.code, e.ref] : []))).toEqual([
      ['wrong_channel', 's-1'],
      ['wrong_channel', 's-2'],
      ['wrong_channel', 's-3'],
      ['wrong_channel', 's-4'],
    ]);
    expect(await answer({ changes: [good] })).toMatchObject({ type: 'ack' });
  });

  it('asks for a subscription first, like a send', async () => {
    const other = await TestClient.connect(relay.wsBase);
    other.send({ type: 'workspace_write', chat_id: WORKSPACE_CHAT_ID, client_msg_id: 'early', changes: [good] });
    const error = await other.waitType('error');
    expect(error).toMatchObject({ code: 'not_subscribed', ref: 'early', chat_id: WORKSPACE_CHAT_ID });
    other.close();
  });
});
