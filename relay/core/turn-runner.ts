/** Runs one turn through the agent, publishing every event it yields, and ends it exactly once. */

import {
  foldEvent,
  MESSAGE_LIMITS,
  type AgentEvent,
  type ChatEvent,
  type ChatMessage,
  type TurnRequest,
  type TurnStatus,
} from '../../shared/index.ts';
import { TurnError, type Agent } from './agent.ts';
import type { CoreConfig } from './options.ts';
import { relayLimits } from './hub.ts';
import { turnEnd, type TurnEnd } from './frames.ts';
import type { Logger } from './logger.ts';
import { ReplyBudget, type Refusal } from './reply-budget.ts';

const DEFAULT_IDLE_MS = 300_000;

/** Distributes `Omit<T, K>` over a union, so each member keeps its own fields. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type UnstampedEvent = OmitEach<ChatEvent, 'seq' | 'epoch' | 'chat_id'>;

/** Where a turn's events go: the chat's backend. */
export interface TurnSink {
  publish(event: UnstampedEvent): Promise<ChatEvent> | ChatEvent;
  /** An earlier assistant message of the chat, for validating edits (the backend folds the published edit). */
  findAssistant(id: string): Promise<ChatMessage | undefined> | ChatMessage | undefined;
  /** Publishes the turn's `turn_end` and replaces the turn's events with its whole message in the replay log. */
  end(event: TurnEnd, message: ChatMessage, firstSeq: number): Promise<void> | void;
}

export interface TurnDeps {
  agent: Agent;
  logger: Logger;
  now: () => number;
  /** The relay's `--max-frame-bytes`: no reply may outgrow one frame. Defaults to `LIMITS.maxFrameBytes`. */
  maxFrameBytes?: number;
  /** `--agent-idle-timeout`: an agent silent this long ends its turn with an error. Defaults to 300 s. */
  idleTimeoutMs?: number;
  /** `--coalesce-ms`: how long a turn's output may wait to share a frame with the next events (0, the default: never). */
  coalesceMs?: number;
}

/** The turn dependencies a configuration asks for, the same for every backend. */
export function turnDeps(config: CoreConfig, agent: Agent, logger: Logger, now: () => number): TurnDeps {
  const { maxFrameBytes } = relayLimits(config);
  const idleTimeoutMs = config.agentIdleTimeoutSec * 1000;
  return { agent, logger, now, maxFrameBytes, idleTimeoutMs, coalesceMs: config.coalesceMs };
}

/** A running turn as its backend sees it: the request, the reply being built, and how to stop it. */
export interface ActiveTurn {
  request: TurnRequest;
  message: ChatMessage;
  abort: AbortController;
}

/** The message (the user's, or the one whose button was pressed) a turn answers. */
function replyTo(request: TurnRequest): string {
  return request.input.kind === 'message' ? request.input.message.id : request.input.message_id;
}

/** A regenerated reply's group, for its turn_start. */
function versionOf(request: TurnRequest): { version_of?: string } {
  return request.version_of === undefined ? {} : { version_of: request.version_of };
}

export function beginTurn(request: TurnRequest, now: number): ActiveTurn {
  const { turn_id, message_id } = request;
  return {
    request,
    message: foldEvent(undefined, {
      type: 'turn_start',
      turn_id,
      message_id,
      reply_to: replyTo(request),
      ...versionOf(request),
      created_at: now,
    }),
    abort: new AbortController(),
  };
}

/**
 * The agent's next event, or 'stopped' as soon as the turn is aborted, even if the agent ignores its signal.
 * Not `Promise.race` against one long-lived "stopped" promise: every race would leave a reaction on it that
 * lives as long as the turn, about 250 bytes per token of a streaming reply.
 */
function nextOrStop(
  signal: AbortSignal,
  idleMs: number,
): (it: AsyncIterator<AgentEvent>) => Promise<IteratorResult<AgentEvent> | 'stopped' | 'idle'> {
  let stop: (() => void) | undefined;
  signal.addEventListener('abort', () => stop?.(), { once: true });
  return (it) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return resolve('stopped');
      const timer = setTimeout(() => resolve('idle'), idleMs);
      stop = () => {
        clearTimeout(timer);
        resolve('stopped');
      };
      it.next().then(
        (step) => {
          clearTimeout(timer);
          resolve(step);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
}

/** The sink failed to take an event, as opposed to the agent failing. */
class SinkFailed {
  constructor(readonly cause: unknown) {}
}

export async function runTurn(active: ActiveTurn, sink: TurnSink, deps: TurnDeps): Promise<void> {
  const { request } = active;
  const start = await sink.publish({
    type: 'turn_start',
    turn_id: request.turn_id,
    message_id: request.message_id,
    reply_to: replyTo(request),
    ...versionOf(request),
    created_at: active.message.created_at,
  });
  const { signal } = active.abort;
  const idleMs = deps.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  const next = nextOrStop(signal, idleMs);
  let status: TurnStatus = 'done';
  let error: string | undefined;
  let iterator: AsyncIterator<AgentEvent> | undefined;
  /** Why the relay ends the turn itself: output past the message limits, or an agent gone silent. */
  let refusal: Refusal | undefined;
  // Every agent's output passes here, so the limits hold for demo, openai, remote and library agents alike.
  const budget = new ReplyBudget(active.message, deps.maxFrameBytes);
  try {
    iterator = deps.agent.run(request, signal)[Symbol.asyncIterator]();
    while (true) {
      const step = await next(iterator);
      if (step === 'stopped') {
        status = 'stopped';
        break;
      }
      if (step === 'idle') {
        refusal = `The agent sent nothing for ${Math.round(idleMs / 1000)} seconds.`;
        break;
      }
      if (step.done) break;
      refusal = await apply(active, step.value, sink, deps, budget).catch((err: unknown) => {
        throw new SinkFailed(err);
      });
      if (refusal !== undefined) break;
    }
  } catch (err) {
    if (err instanceof SinkFailed) {
      // The chat's storage refused the event, so the turn cannot go on (its backend ends it once it can): the
      // agent is told to stop (a remote one gets `stop`) instead of streaming into a turn nobody will end.
      active.abort.abort();
      iterator?.return?.().catch(() => undefined);
      deps.logger.warn('turn cut off: its events cannot be stored', { chat: request.chat_id, turn: request.turn_id });
      throw err.cause;
    }
    if (signal.aborted) status = 'stopped';
    else {
      status = 'error';
      // Only a TurnError's text is meant for users; anything else may hold internals, so it goes to the log.
      error =
        err instanceof TurnError
          ? err.message || 'The agent reported an error.'
          : 'The agent failed unexpectedly. The relay log has details.';
      const detail = err instanceof Error ? err.message : String(err);
      deps.logger.warn('turn failed', { chat: request.chat_id, turn: request.turn_id, error: detail });
    }
  }
  if (refusal !== undefined) {
    status = 'error';
    error = `${refusal} The relay ended the turn here and kept what came before.`;
    deps.logger.warn('turn ended by the relay', { chat: request.chat_id, turn: request.turn_id, why: refusal });
    // Tells the agent to stop (a remote agent gets `stop`); what it still sends for this turn is refused as stale.
    active.abort.abort();
  }
  if (status !== 'done') iterator?.return?.().catch(() => undefined);
  if (error !== undefined && error.length > MESSAGE_LIMITS.maxErrorChars) {
    error = `${error.slice(0, MESSAGE_LIMITS.maxErrorChars - 1)}…`;
  }
  const end = turnEnd(request, status, error);
  active.message = foldEvent(active.message, end);
  await sink.end(end, active.message, start.seq);
}

/** Folds and publishes one event, or returns why it breaks the message limits (nothing is published then). */
async function apply(
  active: ActiveTurn,
  event: AgentEvent,
  sink: TurnSink,
  deps: TurnDeps,
  budget: ReplyBudget,
): Promise<Refusal | undefined> {
  const { turn_id, message_id } = active.request;
  if (event.type === 'message_edit') {
    const target = event.message_id === message_id ? undefined : await sink.findAssistant(event.message_id);
    if (!target) {
      deps.logger.warn('agent edited an unknown message', { chat: active.request.chat_id, message: event.message_id });
      return undefined;
    }
    const refused = budget.admitEdit(target, event.text);
    if (refused !== undefined) return refused;
    await sink.publish({ type: 'message_edit', message_id: event.message_id, text: event.text, edited_at: deps.now() });
    return undefined;
  }
  const refused = budget.admit(active.message, event);
  if (refused !== undefined) return refused;
  const stamped = await sink.publish({ ...event, turn_id, message_id });
  // Folded once stored, so a turn cut off by its storage keeps exactly what its clients were sent.
  active.message = foldEvent(active.message, stamped) ?? active.message;
  return undefined;
}
