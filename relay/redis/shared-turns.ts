/** Runs shared chats' turns exactly once across relays: a per-chat Redis queue drained by whoever holds its lock. */

import {
  foldTurnEvent,
  parseRelayToAgentFrame,
  startAssistantMessage,
  type ChatEvent,
  type ChatMessage,
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
import type { RedisConnection } from './connection.ts';
import { chatKeys, framePrefix, parseEntries } from './keys.ts';
import { APPEND, END_TURN, RELEASE } from './scripts.ts';

/** A runner lock lives this long unless refreshed, so a crashed relay's chats are picked up again. */
const LOCK_MS = 15_000;

export interface LogSettings {
  epoch: () => string;
  maxEvents: number;
  ttlMs: number;
}

/** A turn cut off by a Redis outage, to be ended with an error once Redis is back. */
interface Interrupted {
  chatId: string;
  request: TurnRequest;
  message: ChatMessage;
  firstSeq: number;
  ownSeqs: number[];
}

export class SharedTurns {
  readonly running = new Map<string, ActiveTurn>();
  private readonly draining = new Set<string>();
  private interrupted: Interrupted[] = [];

  constructor(
    private readonly redis: RedisConnection,
    private readonly deps: TurnDeps,
    private readonly relayId: string,
    private readonly log: LogSettings,
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
          await this.redis.command(['EVAL', RELEASE, '1', keys.runner, `${this.relayId}|`]).catch(() => undefined);
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
   * shows it streaming forever.
   */
  private async endOrphan(chatId: string): Promise<void> {
    const keys = chatKeys(chatId);
    const raw = await this.redis.command(['GET', keys.active]);
    if (typeof raw !== 'string') return;
    const record = parseActive(raw);
    if (!record || this.running.has(chatId)) return;
    const entries = parseEntries(await this.redis.command(['XRANGE', keys.log, `0-${record.first_seq}`, '+']));
    const ownSeqs: number[] = [];
    const message = startAssistantMessage(record.message_id, record.turn_id, this.deps.now());
    for (const { seq, replay } of entries) {
      if (!('turn_id' in replay) || replay.turn_id !== record.turn_id) continue;
      // The turn did end (its runner died after END_TURN, before clearing the record): nothing to repair.
      if (replay.type === 'turn_end') return void (await this.redis.command(['DEL', keys.active]));
      ownSeqs.push(seq);
      if (replay.type !== 'turn_start') foldTurnEvent(message, replay);
    }
    message.status = 'error';
    message.error = 'The relay running this reply stopped before it finished.';
    const end = {
      type: 'turn_end' as const,
      turn_id: record.turn_id,
      message_id: record.message_id,
      status: 'error' as const,
      error: message.error,
    };
    await this.end(chatId, end, message, record.first_seq, ownSeqs);
    await this.redis.command(['DEL', keys.active]);
    this.deps.logger.info('ended a turn whose relay stopped', { chat: chatId, turn: record.turn_id });
  }

  /** Ends, with an error, the turns a Redis outage cut off (called when Redis is back). */
  async endInterrupted(): Promise<void> {
    const pending = this.interrupted;
    this.interrupted = [];
    for (const turn of pending) {
      turn.message.status = 'error';
      turn.message.error = 'The relay lost its shared storage in the middle of this reply.';
      const { turn_id, message_id } = turn.request;
      const end = {
        type: 'turn_end' as const,
        turn_id,
        message_id,
        status: 'error' as const,
        error: turn.message.error,
      };
      await this.end(turn.chatId, end, turn.message, turn.firstSeq, turn.ownSeqs).catch(() =>
        this.interrupted.push(turn),
      );
    }
  }

  private async run(chatId: string, request: TurnRequest): Promise<void> {
    const keys = chatKeys(chatId);
    const active = beginTurn(request, this.deps.now());
    this.running.set(chatId, active);
    const owner = `${this.relayId}|${request.turn_id}`;
    const refresh = setInterval(() => {
      void this.redis.command(['SET', keys.runner, owner, 'XX', 'PX', String(LOCK_MS)]).catch(() => undefined);
    }, LOCK_MS / 3);
    const ownSeqs: number[] = [];
    let firstSeq = 0;
    const sink: TurnSink = {
      publish: async (event) => {
        const stamped = await this.append(chatId, event);
        if ('turn_id' in stamped) ownSeqs.push(stamped.seq);
        if (stamped.type === 'turn_start') {
          firstSeq = stamped.seq;
          await this.redis.command(['SADD', keys.assistant, request.message_id]);
          const record = { turn_id: request.turn_id, message_id: request.message_id, first_seq: firstSeq };
          await this.redis.command(['SET', keys.active, JSON.stringify(record), 'PX', String(this.log.ttlMs)]);
        }
        if (stamped.type === 'buttons') {
          await this.redis.command(['HSET', keys.buttons, request.message_id, JSON.stringify(stamped)]);
        }
        return stamped;
      },
      findAssistant: async (id) =>
        Number(await this.redis.command(['SISMEMBER', keys.assistant, id])) === 1
          ? { id, role: 'assistant', text: '', created_at: 0 }
          : undefined,
      end: async (event, message, first) => {
        await this.end(chatId, event, message, first, ownSeqs);
        await this.redis.command(['DEL', keys.active]);
      },
    };
    try {
      await this.redis.command(['SET', keys.runner, owner, 'XX', 'PX', String(LOCK_MS)]);
      await runTurn(active, sink, this.deps);
    } catch {
      this.interrupted.push({ chatId, request, message: active.message, firstSeq, ownSeqs });
    } finally {
      clearInterval(refresh);
      this.running.delete(chatId);
    }
  }

  private async append(chatId: string, event: UnstampedEvent): Promise<ChatEvent> {
    const keys = chatKeys(chatId);
    const epoch = this.log.epoch();
    const seq = Number(
      await this.redis.command([
        'EVAL',
        APPEND,
        '2',
        keys.seq,
        keys.log,
        keys.channel,
        framePrefix({ ...event, chat_id: chatId }),
        epoch,
        String(this.log.maxEvents),
        String(this.log.ttlMs),
      ]),
    );
    // The event was one well-typed member of the union before the spread; the stamp adds the sequenced fields.
    return { ...event, chat_id: chatId, seq, epoch } as ChatEvent;
  }

  private async end(
    chatId: string,
    event: Parameters<TurnSink['end']>[0],
    message: ChatMessage,
    firstSeq: number,
    ownSeqs: number[],
  ): Promise<void> {
    const keys = chatKeys(chatId);
    await this.redis.command([
      'EVAL',
      END_TURN,
      '2',
      keys.seq,
      keys.log,
      keys.channel,
      framePrefix({ ...event, chat_id: chatId }),
      this.log.epoch(),
      String(this.log.maxEvents),
      String(this.log.ttlMs),
      framePrefix({ type: 'message', message, chat_id: chatId }),
      String(firstSeq),
      ...ownSeqs.map((s) => `0-${s}`),
    ]);
  }
}

interface ActiveRecord {
  turn_id: string;
  message_id: string;
  first_seq: number;
}

function parseActive(raw: string): ActiveRecord | undefined {
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
