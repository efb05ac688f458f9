/**
 * Benchmark 6, replay: a chat's finished 10,000-token reply sits in the relay's replay buffer; a client
 * reconnects and resumes. Counted: frames and bytes from `subscribe` until the replay reaches `head_seq`.
 * Baseline, same run: what a relay that replays its raw event log (no compaction) sends, i.e. every frame
 * of the turn as it was streamed live.
 */

import WebSocket from 'ws';
import type { AgentEvent, AgentInfo, RelayFrame, TurnRequest } from '../../shared/index.ts';
import { serveNode } from '../../relay/adapters/node/serve.ts';
import type { Agent } from '../../relay/core/agent.ts';
import { DEFAULTS } from '../../relay/config.ts';
import { assembleRelay } from '../../relay/assemble.ts';
import { fmt, ratio, type Benchmark, type Row } from '../lib/bench.ts';

const WORDS = 'the relay compacts every finished turn into one whole message so replay costs messages not tokens'.split(
  ' ',
);

/** Replies with `tokens` deltas of one word each (about 5 bytes), as fast as the relay takes them. */
function tokenAgent(tokens: number): Agent {
  const info: AgentInfo = { name: 'replay-bench', capabilities: ['markdown'], online: true };
  return {
    info: () => info,
    async *run(_turn: TurnRequest): AsyncIterable<AgentEvent> {
      for (let i = 0; i < tokens; i++) yield { type: 'delta', text: `${WORDS[i % WORDS.length] ?? ''} ` };
    },
  };
}

interface Received {
  type: string;
  seq: number | undefined;
  bytes: number;
}

interface Followed {
  ws: WebSocket;
  frames: Received[];
  ms: number;
}

/** Connects, subscribes, and records what arrives until the frame at `head_seq` (or until `done` says so). */
function follow(
  base: string,
  subscribe: Record<string, unknown>,
  onSubscribed?: (ws: WebSocket) => void,
  done?: (frame: RelayFrame) => boolean,
): Promise<Followed> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/ws`);
    const frames: Received[] = [];
    let started = 0;
    let head = Number.POSITIVE_INFINITY;
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as RelayFrame;
      if (frame.type === 'ready') return;
      const seq = 'seq' in frame && typeof frame.seq === 'number' ? frame.seq : undefined;
      frames.push({ type: frame.type, seq, bytes: data.length });
      if (frame.type === 'subscribed') {
        head = frame.head_seq;
        onSubscribed?.(ws);
      }
      const finished = done ? done(frame) : (seq ?? 0) >= head || (frame.type === 'subscribed' && head === 0);
      if (finished) resolve({ ws, frames, ms: performance.now() - started });
    });
    ws.once('open', () => {
      started = performance.now();
      ws.send(JSON.stringify({ type: 'subscribe', ...subscribe }));
    });
    ws.once('error', reject);
  });
}

/** What a relay without compaction would send: `subscribed` plus every logged chat event after `afterSeq`. */
function rawReplay(log: Received[], subscribed: Received, afterSeq: number): { frames: number; bytes: number } {
  const events = log.filter((f) => f.type !== 'ack' && f.seq !== undefined && f.seq > afterSeq);
  return { frames: events.length + 1, bytes: events.reduce((n, f) => n + f.bytes, subscribed.bytes) };
}

const sum = (frames: Received[]) => frames.reduce((n, f) => n + f.bytes, 0);

export const replay: Benchmark = {
  name: 'replay',
  title: 'Replay after reconnect',
  deterministic: true,
  async measure(options, log) {
    const tokens = options.replayTokens;
    const config = { ...DEFAULTS, port: 0, logLevel: 'warn' as const };
    const relay = assembleRelay(config, tokenAgent(tokens));
    const server = await serveNode(relay, config);
    const base = `ws://127.0.0.1:${server.port}`;
    try {
      // The live client sends the message and receives the whole turn as it streams: the raw event log.
      const live = await follow(
        base,
        { chat_id: 'replay' },
        (ws) => ws.send(JSON.stringify({ type: 'send', chat_id: 'replay', client_msg_id: 'r1', text: 'long reply' })),
        (frame) => frame.type === 'turn_end',
      );
      live.ws.close();
      const epoch = relay.epoch;
      const deltas = live.frames.filter((f) => f.type === 'delta');
      // A new device: everything the chat holds.
      const fresh = await follow(base, { chat_id: 'replay' });
      fresh.ws.close();
      // A client that dropped 100 tokens into the reply and comes back after it finished.
      const midSeq = deltas[Math.min(99, deltas.length - 1)]?.seq ?? 0;
      const resumed = await follow(base, { chat_id: 'replay', epoch, after_seq: midSeq });
      resumed.ws.close();
      const subscribed = fresh.frames[0] ?? { type: 'subscribed', seq: undefined, bytes: 0 };
      const rawFresh = rawReplay(live.frames, subscribed, 0);
      const rawResumed = rawReplay(live.frames, subscribed, midSeq);
      log(
        `fresh: ${fresh.frames.length} frames vs ${rawFresh.frames}; resumed: ${resumed.frames.length} vs ${rawResumed.frames}`,
      );
      return {
        freshFrames: fresh.frames.length,
        freshBytes: sum(fresh.frames),
        freshMs: fresh.ms,
        rawFreshFrames: rawFresh.frames,
        rawFreshBytes: rawFresh.bytes,
        resumedFrames: resumed.frames.length,
        resumedBytes: sum(resumed.frames),
        resumedMs: resumed.ms,
        rawResumedFrames: rawResumed.frames,
        rawResumedBytes: rawResumed.bytes,
      };
    } finally {
      await server.close();
    }
  },
  rows(r, options): Row[] {
    const v = (k: string) => r[k] ?? Number.NaN;
    const bench = `6. Replay of a ${fmt(options.replayTokens)}-token reply`;
    return [
      {
        bench,
        metric: 'reconnect mid-reply, resume after it finished: frames (bytes)',
        parley: `${fmt(v('resumedFrames'))} (${fmt(v('resumedBytes'))} B)`,
        baseline: `raw log ${fmt(v('rawResumedFrames'))} (${fmt(v('rawResumedBytes'))} B)`,
        ratio: ratio(v('resumedBytes'), v('rawResumedBytes'), 3),
        target: 'a handful of frames',
        met: v('resumedFrames') <= 5,
      },
      {
        bench,
        metric: 'new device, whole chat: frames (bytes)',
        parley: `${fmt(v('freshFrames'))} (${fmt(v('freshBytes'))} B)`,
        baseline: `raw log ${fmt(v('rawFreshFrames'))} (${fmt(v('rawFreshBytes'))} B)`,
        ratio: ratio(v('freshBytes'), v('rawFreshBytes'), 3),
        target: 'a handful of frames',
        met: v('freshFrames') <= 5,
      },
    ];
  },
};
