/**
 * The press-once rule both backends share: a button press or an answer to an agent's request names something on a
 * message; this finds it, checks it can still be pressed, and says what to record and which turn answers it.
 */

import {
  answerProblem,
  requestStatus,
  type AnsweredBy,
  type Button,
  type HumanAnswer,
  type RequestState,
  type TurnInput,
  type TurnRequest,
  type TurnStatus,
} from '../../shared/index.ts';
import type { Outcome } from './chat-backend.ts';
import { REFUSALS } from './frames.ts';
import type { UnstampedEvent } from './turn-runner.ts';

/** What was pressed: one of a message's buttons, or an answer to one of its requests. */
export type PressTarget =
  { kind: 'button'; actionId: string } | { kind: 'answer'; requestId: string; answer: HumanAnswer; by: AnsweredBy };

/** What a backend knows of the pressed message: its buttons and requests, and (in process) what was used. */
export interface Pressable {
  buttons?: Button[][];
  used_actions?: string[];
  requests?: RequestState[];
  /** Set once the message's turn ended; a request opens then (never while its turn still runs). */
  status?: TurnStatus;
}

type Refused = Extract<Outcome, { ok: false }>;

export interface PressPlan {
  ok: true;
  /** The event that marks it pressed everywhere (`action_used` or `request_answered`). */
  event: Extract<UnstampedEvent, { type: 'action_used' | 'request_answered' }>;
  turn: TurnRequest;
  /** Names the press in a set of used ones (the shared backend's first-wins check). */
  member: string;
  /** The refusal for a second press of the same thing. */
  used: Refused;
}

/**
 * Plans a press of `target` on `message` (undefined: not found) at relay time `now`. A backend that keeps what was
 * pressed on the message itself (in process) gets its refusal here; one that does not (Redis) checks `member`.
 */
export function planPress(
  messageId: string,
  target: PressTarget,
  message: Pressable | undefined,
  now: number,
  turnFor: (input: TurnInput) => TurnRequest,
): PressPlan | Refused {
  if (target.kind === 'button') {
    const button = message?.buttons?.flat().find((b) => b.id === target.actionId);
    if (!button) return REFUSALS.buttonGone;
    if (message?.used_actions?.includes(button.id)) return REFUSALS.buttonUsed;
    return {
      ok: true,
      event: { type: 'action_used', message_id: messageId, action_id: button.id },
      turn: turnFor({ kind: 'action', message_id: messageId, action_id: button.id, label: button.label }),
      member: `${messageId}\u0000${button.id}`,
      used: REFUSALS.buttonUsed,
    };
  }
  const request = message?.requests?.find((r) => r.id === target.requestId);
  if (!request) return REFUSALS.requestGone;
  // Open only once the turn that asked has ended: its end (done, or stopped and so cancelled) is then settled, and
  // every backend holds the request as that end left it.
  if (message?.status === undefined) return REFUSALS.requestNotOpen;
  const status = requestStatus(request, now);
  if (status === 'answered') return REFUSALS.requestAnswered;
  if (status === 'expired') return REFUSALS.requestExpired;
  if (status === 'cancelled') return REFUSALS.requestCancelled;
  const problem = answerProblem(request, target.answer);
  if (problem) return { ok: false, code: 'invalid_answer', message: `That answer does not fit: ${problem}.` };
  // The agent gets the request as it asked it, without the state this relay keeps on it.
  const { answer: _a, answered_by: _b, answered_at: _t, cancelled: _c, ...asked } = request;
  return {
    ok: true,
    event: {
      type: 'request_answered',
      message_id: messageId,
      request_id: request.id,
      answer: target.answer,
      answered_by: target.by,
      answered_at: now,
    },
    turn: turnFor({
      kind: 'answer',
      message_id: messageId,
      request: asked,
      answer: target.answer,
      answered_by: target.by,
    }),
    // `?` is not in the id grammar, so an answer never shares a member with a button of the same id.
    member: `${messageId}\u0000?${request.id}`,
    used: REFUSALS.requestAnswered,
  };
}
