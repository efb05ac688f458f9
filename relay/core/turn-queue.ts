/** The bound on a chat's waiting turns: by count and by the bytes their messages hold, with the error a sender gets. */

import type { TurnRequest } from '../../shared/index.ts';
import type { Outcome } from './chat-backend.ts';

export interface QueueLimits {
  maxTurns: number;
  maxBytes: number;
}

export function queueLimits(c: { maxQueuedTurns: number; maxQueuedBytes: number }): QueueLimits {
  return { maxTurns: c.maxQueuedTurns, maxBytes: c.maxQueuedBytes };
}

/** What a waiting turn keeps alive: its message's text and files, and its context (characters, as held). */
export function turnBytes(turn: TurnRequest): number {
  const context = turn.context.reduce((n, m) => n + m.text.length, 0);
  if (turn.input.kind === 'action') return context + turn.input.label.length;
  if (turn.input.kind === 'answer') return context + JSON.stringify(turn.input).length;
  const { text, attachments = [] } = turn.input.message;
  return context + text.length + attachments.reduce((n, a) => n + a.data.length, 0);
}

/** The refusal for queueing `turn` behind `queue` (the in-process backend), or undefined when it fits. */
export function queueRefusal(
  queue: readonly TurnRequest[],
  turn: TurnRequest,
  limits: QueueLimits,
): Outcome | undefined {
  return waitingRefusal(queue.length, queue.reduce((n, t) => n + turnBytes(t), 0) + turnBytes(turn), limits);
}

/**
 * The one rule, for every backend: one more turn may wait behind `waiting` others while fewer than
 * `maxTurns` wait and all of them together, the new one included (`bytes`), hold at most `maxBytes`.
 * The first waiting turn is never refused by bytes: a message the relay accepted must be able to run.
 */
export function waitingRefusal(waiting: number, bytes: number, limits: QueueLimits): Outcome | undefined {
  if (waiting >= limits.maxTurns) {
    return {
      ok: false,
      code: 'queue_full',
      message: `${waiting} messages are already waiting for the agent in this chat; send again once it has answered.`,
    };
  }
  if (waiting > 0 && bytes > limits.maxBytes) {
    return {
      ok: false,
      code: 'queue_full',
      message: `The messages waiting for the agent in this chat would hold more than ${limits.maxBytes} bytes; send again once it has answered.`,
    };
  }
  return undefined;
}
