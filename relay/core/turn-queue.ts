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
  if (turn.input.kind !== 'message') return context + turn.input.label.length;
  const { text, attachments = [] } = turn.input.message;
  return context + text.length + attachments.reduce((n, a) => n + a.data.length, 0);
}

/** The refusal for queueing `turn` behind `queue`, or undefined when it fits. */
export function queueRefusal(
  queue: readonly TurnRequest[],
  turn: TurnRequest,
  limits: QueueLimits,
): Outcome | undefined {
  if (queue.length >= limits.maxTurns) {
    return {
      ok: false,
      code: 'queue_full',
      message: `${queue.length} messages are already waiting for the agent in this chat; send again once it has answered.`,
    };
  }
  const bytes = queue.reduce((n, t) => n + turnBytes(t), 0) + turnBytes(turn);
  if (bytes > limits.maxBytes) {
    return {
      ok: false,
      code: 'queue_full',
      message: `The messages waiting for the agent in this chat would hold more than ${limits.maxBytes} bytes; send again once it has answered.`,
    };
  }
  return undefined;
}
