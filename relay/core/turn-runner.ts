/** Runs a chat's queued turns one at a time through the agent, publishing every event the agent yields. */

import {
  applyEdit,
  foldTurnEvent,
  startAssistantMessage,
  type AgentEvent,
  type TurnStatus,
} from '../../shared/index.ts';
import { TurnError, type Agent } from '../agents/agent.ts';
import type { ActiveTurn, ChatRoom } from './chat-room.ts';
import type { Logger } from './logger.ts';

export interface TurnDeps {
  agent: Agent;
  logger: Logger;
  now: () => number;
}

/** Starts the next queued turn of `room` unless one is running. */
export function startNextTurn(room: ChatRoom, deps: TurnDeps): void {
  if (room.active) return;
  const request = room.queue.shift();
  if (!request) return;
  const active: ActiveTurn = {
    request,
    message: startAssistantMessage(request.message_id, request.turn_id, deps.now()),
    abort: new AbortController(),
  };
  room.active = active;
  const replyTo = request.input.kind === 'message' ? request.input.message.id : request.input.message_id;
  room.publish({ type: 'turn_start', turn_id: request.turn_id, message_id: request.message_id, reply_to: replyTo });
  void drive(room, active, deps).finally(() => {
    room.active = undefined;
    startNextTurn(room, deps);
  });
}

async function drive(room: ChatRoom, active: ActiveTurn, deps: TurnDeps): Promise<void> {
  const { signal } = active.abort;
  const stopped = new Promise<'stopped'>((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
  let status: TurnStatus = 'done';
  let error: string | undefined;
  let iterator: AsyncIterator<AgentEvent> | undefined;
  try {
    iterator = deps.agent.run(active.request, signal)[Symbol.asyncIterator]();
    while (true) {
      // Racing against the abort means a stop ends the turn now, even if the agent ignores its signal.
      const next = await Promise.race([iterator.next(), stopped]);
      if (next === 'stopped') {
        status = 'stopped';
        break;
      }
      if (next.done) break;
      apply(room, active, next.value, deps);
    }
  } catch (err) {
    if (signal.aborted) status = 'stopped';
    else {
      status = 'error';
      // Only a TurnError's text is meant for users; anything else may hold internals, so it goes to the log.
      error =
        err instanceof TurnError
          ? err.message || 'The agent reported an error.'
          : 'The agent failed unexpectedly. The relay log has details.';
      const detail = err instanceof Error ? err.message : String(err);
      deps.logger.warn('turn failed', { chat: room.chatId, turn: active.request.turn_id, error: detail });
    }
  }
  if (status === 'stopped') iterator?.return?.().catch(() => undefined);
  finish(room, active, status, error, deps.now());
}

function apply(room: ChatRoom, active: ActiveTurn, event: AgentEvent, deps: TurnDeps): void {
  const { turn_id, message_id } = active.request;
  if (event.type === 'message_edit') {
    const target = room.findMessage(event.message_id);
    if (!target || target.role !== 'assistant' || target.id === message_id) {
      deps.logger.warn('agent edited an unknown message', { chat: room.chatId, message: event.message_id });
      return;
    }
    const at = deps.now();
    applyEdit(target, event.text, at);
    room.publish({ type: 'message_edit', message_id: event.message_id, text: event.text, edited_at: at });
    return;
  }
  foldTurnEvent(active.message, event);
  room.publish({ ...event, turn_id, message_id });
}

function finish(room: ChatRoom, active: ActiveTurn, status: TurnStatus, error: string | undefined, now: number): void {
  const { turn_id, message_id } = active.request;
  active.message.status = status;
  if (error !== undefined) active.message.error = error;
  const end = room.publish(
    error === undefined
      ? { type: 'turn_end', turn_id, message_id, status }
      : { type: 'turn_end', turn_id, message_id, status, error },
  );
  room.log.compactTurn(
    turn_id,
    { type: 'message', chat_id: room.chatId, seq: end.seq, epoch: end.epoch, message: active.message },
    now,
  );
}
