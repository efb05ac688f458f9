/** Runs shared chats' turns exactly once across relays: a per-chat Redis queue drained by whoever holds its lock. */

import {
  foldEvent,
  parseRelayToAgentFrame,
  type ChatEvent,
  type ChatMessage,
  type ErrorFrame,
  type RequestState,
  type TurnRequest,
} from '../../shared/index.ts';
import {
  beginTurn,
  runTurn,
  type ActiveTurn,
  type TurnDeps,
  type TurnSink,
  type UnstampedEvent,
} from '../core/turn-runner.ts';
import { cutOffNotice, turnEnd } from '../core/frames.ts';
import type { RedisConnection } from './connection.ts';
import { chatKeys, framePrefix, parseEntries, requestField } from './keys.ts';
import type { ScriptRunner } from './script-runner.ts';
import { APPEND, END_TURN, logParams, RELEASE, type LogLimits } from './scripts.ts';

/** Why a reply stopped when Redis went away mid-turn: told to its followers here at once, kept as its turn's error. */
const CUT_OFF = 'The relay lost its shared storage in the middle of this reply, so it stopped here.';

/** A runner lock lives this long unless refreshed, so a crashed relay's chats are picked up again. */
const LOCK_MS = 15_000;

export interface LogSettings extends LogLimits {
  epoch: () => string;
}

/** A turn cut off by a Redis outage, to be ended with an error once Redis is back. */
interface Interrupted {
  chatId: string;
  request: TurnRequest;
  message: ChatMessage;
  firstSeq: number;
}

export class SharedTurns {
  readonly running = new Map<string, ActiveTurn>();
  private readonly draining = new Set<string>();
  private interrupted: Interrupted[] = [];

  constructor(
    private readonly redis: RedisConnection,
    private readonly scripts: ScriptRunner,
    private readonly deps: TurnDeps,
    private readonly relayId: string,
    private readonly log: LogSettings,
    /** Tells this relay's followers of a chat that its reply stopped (the other relays cannot be reached). */
    private readonly notify: (chatId: string, frame: ErrorFrame) => void = () => undefined,
  ) {}

  /** Runs the chat's queued turns here if no other relay is; returns when the queue is empty or owned elsewhere. */
  async drain(chatId: string): Promise<void> {
    if (this.draining.has(chatId)) return;
    this.draining.add(chatId);
    const keys = chatKeys(chatId);
    try {
      while (
        (await this.redis.command(['SET', keys.runner, `${this.relayId}|`, 'NX', 'PX', String(LOCK_MS)])) === 'OK'
      ) {
        try {
          await this.endOrphan(chatId);
          let raw: unknown;
          while ((raw = await this.redis.command(['LPOP', keys.turns])) !== null) {
            const parsed = typeof raw === 'string' ? parseRelayToAgentFrame(raw) : undefined;
            if (!parsed?.ok || parsed.value.type !== 'turn') continue;
            const { type: _turn, ...request } = parsed.value;
            await this.run(chatId, request);
          }
        } finally {
          await this.scripts.run(RELEASE, [keys.runner], [`${this.relayId}|`]).catch(() => undefined);
        }
        // A turn queued between the last LPOP and the release would otherwise wait for the periodic check.
        if (Number(await this.redis.command(['LLEN', keys.turns])) === 0) return;
      }
    } catch (err) {
      this.deps.logger.warn('shared turn queue failed', {
        chat: chatId,
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      this.draining.delete(chatId);
    }
  }

  /**
   * A turn whose relay died mid-reply is still marked running, with no runner left to end it. The relay
   * that takes the lock next rebuilds the reply from the log and ends it with an error, so no client
   * shows it streaming forever. (A turn that did end has no record: END_TURN deletes it atomically.)
   */
  private async endOrphan(chatId: string): Promise<void> {
    const keys = chatKeys(chatId);
    const raw = await this.redis.command(['GET', keys.active]);
    if (typeof raw !== 'string') return;
    const record = parseActive(raw);
    if (!record || this.running.has(chatId)) return;
    const entries = parseEntries(await this.redis.command(['XRANGE', keys.log, `0-${record.first_seq}`, '+']));
    const { turn_id, message_id } = record;
    // Folded from what the log still holds; a trimmed turn_start leaves the reply stamped now.
    const now = this.deps.now();
    let message: ChatMessage | undefined;
    for (const { replay } of entries) {
      if ('turn_id' in replay && replay.turn_id === turn_id) message = foldEvent(message, replay, now) ?? message;
    }
    message ??= foldEvent(undefined, { type: 'turn_start', turn_id, message_id, reply_to: '', created_at: now });
    const why = 'The relay running this reply stopped before it finished.';
    if (await this.endWithError(chatId, { ...record, message }, why)) {
      this.deps.logger.info('ended a turn whose relay stopped', { chat: chatId, turn: record.turn_id });
    }
  }

  /**
   * Ends, with an error, the turns a Redis outage cut off (called when Redis is back), and frees their chats:
   * returns the chats whose queues should be drained again.
   */
  async endInterrupted(): Promise<string[]> {
    const pending = this.interrupted;
    this.interrupted = [];
    const chats: string[] = [];
    for (const turn of pending) {
      const { chatId, request, message, firstSeq } = turn;
      const { turn_id, message_id } = request;
      const why = CUT_OFF;
      try {
        await this.endWithError(chatId, { turn_id, message_id, first_seq: firstSeq, message }, why);
        // The lock still names the cut turn (its release failed during the outage); nothing else may hold it.
        await this.scripts.run(RELEASE, [chatKeys(chatId).runner], [`${this.relayId}|${turn_id}`]);
        chats.push(chatId);
      } catch {
        this.interrupted.push(turn);
      }
    }
    return chats;
  }

  /** Ends a turn no runner will finish; false when it had already ended (another relay got there first). */
  private async endWithError(
    chatId: string,
    turn: ActiveRecord & { message: ChatMessage },
    error: string,
  ): Promise<boolean> {
    const end = turnEnd(turn, 'error', error);
    return this.end(chatId, end, foldEvent(turn.message, end), turn.first_seq);
  }

  private async run(chatId: string, request: TurnRequest): Promise<void> {
    const keys = chatKeys(chatId);
    const active = beginTurn(request, this.deps.now());
    this.running.set(chatId, active);
    const owner = `${this.relayId}|${request.turn_id}`;
    const refresh = setInterval(() => {
      void this.redis.command(['SET', keys.runner, owner, 'XX', 'PX', String(LOCK_MS)]).catch(() => undefined);
      void this.redis.command(['PEXPIRE', keys.active, String(this.activeMs())]).catch(() => undefined);
    }, LOCK_MS / 3);
    let firstSeq = 0;
    const sink: TurnSink = {
      publish: async (event) => {
        const stamped = await this.append(chatId, event, request);
        if (stamped.type === 'turn_start') {
          firstSeq = stamped.seq;
          await this.redis.command(['SADD', keys.assistant, request.message_id]);
        }
        if (stamped.type === 'buttons') {
          await this.redis.command(['HSET', keys.buttons, request.message_id, JSON.stringify(stamped)]);
        }
        if (stamped.type === 'request') await this.keepRequests(chatId, request.message_id, [stamped.request]);
        return stamped;
      },
      findAssistant: async (id) =>
        Number(await this.redis.command(['SISMEMBER', keys.assistant, id])) === 1
          ? { id, role: 'assistant', text: '', created_at: 0 }
          : undefined,
      end: async (event, message, first) => {
        if (!(await this.end(chatId, event, message, first))) {
          this.deps.logger.info('turn had already been ended elsewhere', { chat: chatId, turn: request.turn_id });
        }
      },
    };
    try {
      await this.redis.command(['SET', keys.runner, owner, 'XX', 'PX', String(LOCK_MS)]);
      await runTurn(active, sink, this.deps);
    } catch (err) {
      this.interrupted.push({ chatId, request, message: active.message, firstSeq });
      this.notify(chatId, cutOffNotice(chatId, CUT_OFF));
      // Stop draining: the chat's next turn waits until this one is ended (when Redis is back).
      throw err;
    } finally {
      clearInterval(refresh);
      this.running.delete(chatId);
    }
  }

  /** A running record outlives the lock, so a live runner's record never lapses between refreshes. */
  private activeMs(): number {
    return Math.max(this.log.ttlMs, LOCK_MS);
  }

  private async append(chatId: string, event: UnstampedEvent, request: TurnRequest): Promise<ChatEvent> {
    const keys = chatKeys(chatId);
    const epoch = this.log.epoch();
    const { turn_id, message_id } = request;
    const ofTurn = 'turn_id' in event;
    const record = event.type === 'turn_start' ? `${framePrefix({ turn_id, message_id })},"first_seq":` : '';
    const args = [framePrefix({ ...event, chat_id: chatId }), ofTurn ? turn_id : '', record, String(this.activeMs())];
    const seq = Number(await this.scripts.run(APPEND, ...logParams(chatId, epoch, this.log, [keys.active], args)));
    // The event was one well-typed member of the union before the spread; the stamp adds the sequenced fields.
    return { ...event, chat_id: chatId, seq, epoch } as ChatEvent;
  }

  /** Ends the turn once across relays; false when it was no longer running. */
  private async end(
    chatId: string,
    event: Parameters<TurnSink['end']>[0],
    message: ChatMessage,
    firstSeq: number,
  ): Promise<boolean> {
    const keys = chatKeys(chatId);
    // As the turn leaves them (a stopped or failed turn's cancelled), written while it still counts as running, so
    // no relay's `press` sees it ended with its requests not yet settled.
    if (message.requests?.length) await this.keepRequests(chatId, message.id, message.requests);
    const args = [
      framePrefix({ ...event, chat_id: chatId }),
      framePrefix({ type: 'message', message, chat_id: chatId }),
      String(firstSeq),
      event.turn_id,
    ];
    const seq = await this.scripts.run(END_TURN, ...logParams(chatId, this.log.epoch(), this.log, [keys.active], args));
    return Number(seq) > 0;
  }

  /** Keeps requests where any relay's `press` reads them (see RedisBackend.press). */
  private async keepRequests(chatId: string, messageId: string, requests: RequestState[]): Promise<void> {
    const fields = requests.flatMap((r) => [requestField(messageId, r.id), JSON.stringify(r)]);
    await this.redis.command(['HSET', chatKeys(chatId).requests, ...fields]);
  }
}

interface ActiveRecord {
  turn_id: string;
  message_id: string;
  first_seq: number;
}

/** The running turn's record (`keys.active`), or undefined when it is not one. */
export function parseActive(raw: string): ActiveRecord | undefined {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const turn = Reflect.get(data, 'turn_id');
  const message = Reflect.get(data, 'message_id');
  const first = Reflect.get(data, 'first_seq');
  if (typeof turn !== 'string' || typeof message !== 'string' || typeof first !== 'number') return undefined;
  return { turn_id: turn, message_id: message, first_seq: first };
}
