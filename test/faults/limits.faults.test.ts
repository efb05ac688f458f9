/**
 * Fault suite, issue 12 items 6–8: large frames, agent output past the limits, and memory bounds, each a scenario
 * on a real relay with real sockets that prints what was expected and what happened.
 */

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../relay/core/agent.ts';
import type { AgentEvent, ChatEvent } from '../../shared/index.ts';
import { TestClient } from '../helpers/client.ts';
import { startRedis } from '../helpers/redis.ts';
import { startRelay } from '../helpers/relay.ts';

/** Prints the scenario's verdict, then fails with both sides when they differ. */
function verdict(scenario: string, expected: Record<string, unknown>, happened: Record<string, unknown>): void {
  const line = `fault ${scenario}\n    expected: ${JSON.stringify(expected)}\n    happened: ${JSON.stringify(happened)}`;
  console.log(`\n  ${line}`);
  expect(happened, line).toEqual(expected);
}

/** The value, or what went wrong as text, so a scenario reports instead of stopping at the first failure. */
async function settle<T>(p: Promise<T>): Promise<T | string> {
  try {
    return await p;
  } catch (err) {
    return `failed: ${err instanceof Error ? err.message.slice(0, 120) : String(err)}`;
  }
}

function file(id: string, size: number) {
  return { id, name: `${id}.png`, mime: 'image/png', size, data: Buffer.alloc(size, 7).toString('base64') };
}

async function follower(base: string, chatId: string): Promise<TestClient> {
  const client = await TestClient.connect(base);
  client.send({ type: 'subscribe', chat_id: chatId });
  await client.waitType('subscribed');
  return client;
}

type Reply = Extract<ChatEvent, { type: 'message' }>['message'];

const messages = (events: ChatEvent[]) => events.filter((e) => e.type === 'message').length;

describe('fault suite: limits (issue 12)', () => {
  it('item 6: one allowed 7.9 MiB attachment reaches the sender, an observer and a device that opens the chat later', async () => {
    const relay = await startRelay();
    const size = Math.floor(7.9 * 1024 * 1024);
    const sender = await follower(relay.wsBase, 'big-file');
    const observer = await follower(relay.wsBase, 'big-file');
    sender.send({
      type: 'send',
      chat_id: 'big-file',
      client_msg_id: 'f1',
      text: 'a photo',
      attachments: [file('p', size)],
    });
    const ack = await settle(sender.waitType('ack'));
    const end = await settle(observer.waitType('turn_end'));
    const later = await TestClient.connect(relay.wsBase);
    later.send({ type: 'subscribe', chat_id: 'big-file' });
    const replayed = await settle(later.waitFor(() => (messages(later.events('big-file')) >= 2 ? true : undefined)));
    verdict(
      '6 large attachment',
      { senderAck: true, observerTurn: 'done', laterReplay: 2, closes: [null, null, null] },
      {
        senderAck: typeof ack === 'string' ? ack : true,
        observerTurn: typeof end === 'string' ? end : end.status,
        laterReplay: typeof replayed === 'string' ? replayed : messages(later.events('big-file')),
        closes: [sender, observer, later].map((c) => c.closeCode ?? null),
      },
    );
    for (const c of [sender, observer, later]) c.close();
    await relay.close();
  });

  it('item 6: a replay of six 7.9 MiB messages (over --max-buffered-bytes together) waits for the socket to drain', async () => {
    const relay = await startRelay({ rateLimit: 100, rateBurst: 100 });
    const size = Math.floor(7.9 * 1024 * 1024);
    const sender = await follower(relay.wsBase, 'many-files');
    for (let i = 0; i < 6; i++) {
      const from = sender.frames.length;
      sender.send({
        type: 'send',
        chat_id: 'many-files',
        client_msg_id: `m${i}`,
        text: `photo ${i}`,
        attachments: [file(`p${i}`, size)],
      });
      await sender.waitType('turn_end', () => true, from);
    }
    const later = await TestClient.connect(relay.wsBase);
    later.send({ type: 'subscribe', chat_id: 'many-files' });
    const replayed = await settle(later.waitFor(() => (messages(later.events('many-files')) >= 12 ? true : undefined)));
    verdict(
      '6 replay of large messages',
      { laterReplay: 12, laterClosed: null },
      {
        laterReplay: typeof replayed === 'string' ? replayed : messages(later.events('many-files')),
        laterClosed: later.closeCode ?? null,
      },
    );
    sender.close();
    later.close();
    await relay.close();
  });

  /** A library agent that overflows the message limits on request; it notes whether it was told to stop. */
  function overflowing(stopped: string[]): Agent {
    const outputs: Record<string, () => AgentEvent[]> = {
      deltas: () => Array.from({ length: 5 }, () => ({ type: 'delta' as const, text: 'x'.repeat(1_000_000) })),
      files: () =>
        Array.from({ length: 9 }, (_, i) => ({
          type: 'file' as const,
          attachment: { id: `f${i}`, name: `f${i}.png`, mime: 'image/png', size: 3, data: 'AAAA' },
        })),
      tools: () =>
        Array.from({ length: 257 }, (_, i) => ({
          type: 'tool_call' as const,
          call_id: `c${i}`,
          name: 'search',
          arguments: '{}',
        })),
    };
    return {
      info: () => ({ name: 'overflow', capabilities: [], online: true }),
      async *run(turn, signal) {
        const text = turn.input.kind === 'message' ? turn.input.message.text : '';
        signal.addEventListener('abort', () => stopped.push(text));
        for (const event of outputs[text]?.() ?? []) {
          yield event;
          await new Promise((r) => setImmediate(r));
        }
      },
    };
  }

  const overflows = [
    ['five 1 MB deltas', 'deltas', (m: Reply) => m.text.length, 4_000_000],
    ['nine file events', 'files', (m: Reply) => m.attachments?.length ?? 0, 8],
    ['257 tool calls', 'tools', (m: Reply) => m.tools?.length ?? 0, 256],
  ] as const;

  async function overflow(ask: string, kept: (m: Reply) => number, fits: number, redisUrl?: string) {
    const stopped: string[] = [];
    const relay = await startRelay(redisUrl ? { redisUrl } : {}, overflowing(stopped));
    const chat = `over-${ask}-${redisUrl ? 'redis' : 'local'}`;
    const sender = await follower(relay.wsBase, chat);
    sender.send({ type: 'send', chat_id: chat, client_msg_id: 'o1', text: ask });
    const end = await settle(sender.waitType('turn_end'));
    const later = await TestClient.connect(relay.wsBase);
    later.send({ type: 'subscribe', chat_id: chat });
    const assistant = () =>
      later.events(chat).flatMap((e) => (e.type === 'message' && e.message.role === 'assistant' ? [e.message] : []))[0];
    const reply = await settle(later.waitFor(assistant, 'the reply', 5000));
    verdict(
      `7 agent output past the limits: ${ask}${redisUrl ? ' (Redis)' : ''}`,
      { turn: 'error', readable: true, kept: fits, replayReadable: true, agentStopped: true },
      {
        turn: typeof end === 'string' ? end : end.status,
        readable: typeof end !== 'string' && /limit|more than|longer than/i.test(end.error ?? ''),
        kept: typeof reply === 'string' ? reply : kept(reply),
        replayReadable: later.invalid.length === 0 ? true : later.invalid.map((l) => l.slice(0, 100)),
        agentStopped: stopped.includes(ask),
      },
    );
    sender.close();
    later.close();
    await relay.close();
  }

  it.each(overflows)(
    'item 7: %s end the turn with an error, keep what fits, and replay as a message clients read',
    (_name, ask, kept, fits) => overflow(ask, kept, fits),
  );

  it('item 7 (Redis): the shared backend runs the same limits', async () => {
    const redis = await startRedis();
    try {
      for (const [, ask, kept, fits] of overflows) await overflow(ask, kept, fits, redis.url);
    } finally {
      await redis.stop();
    }
  });

  it('item 8a: a chat replay is bounded by --replay-max-bytes, oldest first, and says it is incomplete', async () => {
    const max = 2 * 1024 * 1024;
    const config = {
      maxFrameBytes: 1024 * 1024,
      maxBufferedBytes: max,
      replayMaxBytes: max,
      rateLimit: 100,
      rateBurst: 100,
    };
    const relay = await startRelay(config);
    const sender = await follower(relay.wsBase, 'replay-bytes');
    for (let i = 0; i < 6; i++) {
      const from = sender.frames.length;
      sender.send({
        type: 'send',
        chat_id: 'replay-bytes',
        client_msg_id: `r${i}`,
        text: `file ${i}`,
        attachments: [file(`r${i}`, 600_000)],
      });
      await sender.waitType('turn_end', () => true, from);
    }
    const later = await TestClient.connect(relay.wsBase);
    later.send({ type: 'subscribe', chat_id: 'replay-bytes' });
    const subscribed = await later.waitType('subscribed');
    await later.waitFor(() =>
      later.events('replay-bytes').some((e) => e.type === 'message' && e.message.text === 'file 5') ? true : undefined,
    );
    const events = later.events('replay-bytes');
    const bytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
    verdict(
      '8a replay bounded by bytes',
      { withinBytes: true, recovered: false, newestKept: true, oldestDropped: true },
      {
        withinBytes: bytes <= max ? true : `${bytes} bytes replayed`,
        recovered: subscribed.recovered,
        newestKept: events.some((e) => e.type === 'message' && e.message.text === 'file 5'),
        oldestDropped: !events.some((e) => e.type === 'message' && e.message.text === 'file 0'),
      },
    );
    sender.close();
    later.close();
    await relay.close();
  });

  it('item 8d: an agent silent past --agent-idle-timeout ends its turn with an error, is told to stop, and frees the chat', async () => {
    const stopped: string[] = [];
    const stuck: Agent = {
      info: () => ({ name: 'stuck', capabilities: [], online: true }),
      async *run(turn, signal) {
        const text = turn.input.kind === 'message' ? turn.input.message.text : '';
        yield { type: 'delta', text: `on ${text}` };
        if (text !== 'hang') return;
        // Never yields again; only the abort ends the wait.
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        stopped.push(text);
      },
    };
    const relay = await startRelay({ agentIdleTimeoutSec: 1 }, stuck);
    const client = await follower(relay.wsBase, 'idle');
    client.send({ type: 'send', chat_id: 'idle', client_msg_id: 'h1', text: 'hang' });
    const first = await settle(client.waitType('turn_end'));
    const from = client.frames.length;
    client.send({ type: 'send', chat_id: 'idle', client_msg_id: 'h2', text: 'next' });
    const second = await settle(client.waitType('turn_end', () => true, from));
    verdict(
      '8d idle agent turn',
      { first: 'error', readable: true, agentStopped: true, next: 'done' },
      {
        first: typeof first === 'string' ? first : first.status,
        readable: typeof first !== 'string' && /sent nothing for 1 seconds/.test(first.error ?? ''),
        agentStopped: stopped.includes('hang'),
        next: typeof second === 'string' ? second : second.status,
      },
    );
    client.close();
    await relay.close();
  });

  /** An agent whose every turn waits until it is stopped: whatever is sent next has to queue. */
  const stuck: Agent = {
    info: () => ({ name: 'stuck', capabilities: [], online: true }),
    async *run(_turn, signal) {
      yield { type: 'delta', text: 'thinking…' };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    },
  };

  const byCount = { maxQueuedTurns: 3 };
  const byBytes = { maxQueuedBytes: 1024 * 1024, maxFrameBytes: 512 * 1024, maxBufferedBytes: 1024 * 1024 };
  it.each([
    ['count', byCount, 1000, 3, false],
    ['bytes', byBytes, 250_000, 3, false],
    ['count (Redis)', byCount, 1000, 3, true],
    ['bytes (Redis)', byBytes, 250_000, 3, true],
  ] as const)(
    'item 8c: the turn queue behind a stuck turn is capped by %s, with queue_full on send',
    async (_by, config, size, fits, shared) => {
      const redis = shared ? await startRedis() : undefined;
      const relay = await startRelay(
        { ...config, rateLimit: 100, rateBurst: 100, ...(redis ? { redisUrl: redis.url } : {}) },
        stuck,
      );
      const client = await follower(relay.wsBase, 'queue');
      client.send({ type: 'send', chat_id: 'queue', client_msg_id: 'q0', text: 'first' });
      await client.waitType('turn_start');
      for (let i = 1; i <= 6; i++) {
        client.send({
          type: 'send',
          chat_id: 'queue',
          client_msg_id: `q${i}`,
          text: `queued ${i}`,
          attachments: [file(`q${i}`, size)],
        });
      }
      const answered = await settle(
        client.waitFor(() => {
          const acks = client.frames.filter((f) => f.type === 'ack').length;
          const errors = client.frames.filter((f) => f.type === 'error');
          return acks + errors.length >= 7 ? { acks: acks - 1, errors: errors.map((e) => e.code) } : undefined;
        }),
      );
      verdict(
        `8c queue capped by ${_by}`,
        { queued: fits, refused: Array(6 - fits).fill('queue_full') },
        typeof answered === 'string'
          ? { queued: answered, refused: [] }
          : { queued: answered.acks, refused: answered.errors },
      );
      client.close();
      await relay.close();
      await redis?.stop();
    },
  );

  it('item 8e: /v1/chat/completions without streaming stops the turn when the HTTP client disconnects', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let aborted!: () => void;
    const stopped = new Promise<'stopped'>((resolve) => (aborted = () => resolve('stopped')));
    const endless: Agent = {
      info: () => ({ name: 'endless', capabilities: [], online: true }),
      async *run(_turn, signal) {
        signal.addEventListener('abort', () => aborted());
        started();
        while (!signal.aborted) {
          yield { type: 'delta', text: '.' };
          await new Promise((r) => setTimeout(r, 20));
        }
      },
    };
    const relay = await startRelay({}, endless);
    const body = JSON.stringify({ model: 'endless', messages: [{ role: 'user', content: 'go on forever' }] });
    const req = request(`${relay.httpBase}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', () => undefined);
    req.end(body);
    await running;
    req.destroy();
    const outcome = await Promise.race([
      stopped,
      new Promise<string>((r) => setTimeout(() => r('still running after 5 s'), 5000)),
    ]);
    verdict('8e /v1 client gone', { agent: 'stopped' }, { agent: outcome });
    await relay.close();
  });

  it('item 8b: the demo agent remembers a bounded amount of text and no file data', async () => {
    const relay = await startRelay({ demoHistoryMaxChars: 5000 });
    const client = await TestClient.connect(relay.wsBase);
    const history = async (chat: string) => {
      client.send({ type: 'history', chat_id: chat, request_id: `h-${chat}` });
      return (await client.waitType('history_result', (h) => h.request_id === `h-${chat}`)).messages;
    };
    for (const [chat, text, attachments] of [
      ['ha', 'a'.repeat(3000), []],
      ['hb', 'b'.repeat(3000), []],
      ['hc', 'a photo', [file('c', 50_000)]],
    ] as const) {
      client.send({ type: 'subscribe', chat_id: chat });
      await client.waitType('subscribed', (f) => f.chat_id === chat);
      const from = client.frames.length;
      client.send({ type: 'send', chat_id: chat, client_msg_id: `${chat}1`, text, attachments: [...attachments] });
      await client.waitType('turn_end', () => true, from);
    }
    const all = [...(await history('ha')), ...(await history('hb')), ...(await history('hc'))];
    const chars = all.reduce((n, m) => n + m.text.length, 0);
    verdict(
      '8b demo agent memory',
      { withinChars: true, oldestForgotten: true, fileDataKept: 0 },
      {
        withinChars: chars <= 5000 ? true : `${chars} characters remembered`,
        oldestForgotten: !all.some((m) => m.text === 'a'.repeat(3000)),
        fileDataKept: all.reduce((n, m) => n + (m.attachments ?? []).reduce((k, a) => k + a.data.length, 0), 0),
      },
    );
    client.close();
    await relay.close();
  });
});
