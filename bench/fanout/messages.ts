/** IPC messages between the orchestrator and its two children: the server under test and the load generator. */

/**
 * The servers the fan-out and memory benchmarks compare: Parley as shipped (coalesced delivery, in-process
 * backend, memory only, on Node), the same with one thing changed each (`--coalesce-ms 0`: one frame per event,
 * as in protocol 1; under Deno; on Redis; with `--data-dir`, the relay's own append-only log), and the two
 * baselines.
 */
export type Impl = 'parley' | 'parley-single' | 'parley-deno' | 'parley-redis' | 'parley-disk' | 'ws' | 'socketio';
export const IMPLS: readonly Impl[] = [
  'parley',
  'parley-single',
  'parley-deno',
  'parley-redis',
  'parley-disk',
  'ws',
  'socketio',
];

/** The Parley set-ups: a running turn per chat, started by a `send`. */
export function isParley(impl: Impl): boolean {
  return impl.startsWith('parley');
}

export type ToServer =
  /** Emit as fast as the server can, with at most `window` deliveries not yet received by the load generator. */
  | { type: 'emit-max'; window: number }
  /** Emit `perSecond` events on a fixed schedule; each is stamped with its due time, not its send time. */
  | { type: 'emit-rate'; perSecond: number }
  | { type: 'credit'; delivered: number }
  | { type: 'stop-emit' }
  | { type: 'cpu-mark' }
  | { type: 'memory' }
  /** The orchestrator's `nowUs`, answering `clock` (a Deno server aligns its clock with it). */
  | { type: 'clock'; us: number };

export type FromServer =
  | { type: 'listening'; port: number }
  | { type: 'clock' }
  /** Parley only: this many turns are running and waiting for the pacer. */
  | { type: 'turns'; count: number }
  | { type: 'cpu'; busy: number; wallMs: number; emitted: number }
  | { type: 'memory'; heapUsed: number; rss: number; external: number };

export interface LoadPlan {
  impl: Impl;
  port: number;
  chats: number;
  subscribers: number;
  /** Connections opened at once while connecting. */
  concurrency: number;
}

export type ToLoad =
  | { type: 'connect'; plan: LoadPlan }
  /** Parley only: the first subscriber of each chat sends one message, which starts the chat's turn. */
  | { type: 'start-turns' }
  | { type: 'window-start' }
  | { type: 'window-end' }
  /** Closes every connection but keeps the process (after a warm-up). */
  | { type: 'drop' }
  | { type: 'close' };

export type FromLoad =
  | { type: 'connected'; connections: number; ms: number }
  | { type: 'dropped' }
  /** Running total of delivered events, sent every few milliseconds while it changes (flow-control credit). */
  | { type: 'delivered'; total: number }
  | {
      type: 'window';
      /** Tokens (delta events) delivered, whatever the frames they came in. */
      delivered: number;
      /** Frames that carried them. */
      frames: number;
      wallMs: number;
      /** Histogram counts (see LatencyHistogram). */
      counts: number[];
      bytes: number;
      busy: number;
      /** socket.io only: the official client received the same events as the hand-rolled ones. */
      verified?: boolean;
    }
  | { type: 'error'; message: string };
