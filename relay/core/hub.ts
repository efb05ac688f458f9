/** The relay's shared state: chats by id, connected clients, the agent, and the effective limits. */

import { LIMITS, type Limits, type RelayFrame } from '../../shared/index.ts';
import type { Agent } from '../agents/agent.ts';
import type { RelayConfig } from '../config.ts';
import { ChatRoom } from './chat-room.ts';
import type { Logger } from './logger.ts';

/** What the hub needs from a connected client. */
export interface HubClient {
  readonly id: string;
  send(frame: RelayFrame): void;
  close(code: number, reason: string): void;
}

/** Chats forgotten by `sweep` remembered by their last seq, so a recreated chat continues it. */
const MAX_TOMBSTONES = 100_000;

export class Hub {
  readonly rooms = new Map<string, ChatRoom>();
  private readonly tombstones = new Map<string, number>();
  /** The highest seq of any tombstone dropped for space: unknown chats start above it. */
  private floor = 0;
  readonly clients = new Set<HubClient>();
  readonly limits: Limits;

  constructor(
    readonly config: RelayConfig,
    readonly epoch: string,
    readonly agent: Agent,
    readonly logger: Logger,
    readonly now: () => number,
  ) {
    this.limits = {
      ...LIMITS,
      maxFrameBytes: Math.min(LIMITS.maxFrameBytes, config.maxFrameBytes),
      maxTextChars: Math.min(LIMITS.maxTextChars, config.maxTextChars),
    };
  }

  room(chatId: string): ChatRoom {
    let room = this.rooms.get(chatId);
    if (!room) {
      const startSeq = this.tombstones.get(chatId) ?? this.floor;
      this.tombstones.delete(chatId);
      const options = {
        epoch: this.epoch,
        now: this.now,
        idempotencyWindow: this.config.idempotencyWindow,
        replay: { maxEvents: this.config.replayMaxEvents, maxAgeMs: this.config.replayMaxAgeSec * 1000 },
      };
      room = new ChatRoom(chatId, options, startSeq);
      this.rooms.set(chatId, room);
    }
    return room;
  }

  broadcast(frame: RelayFrame): void {
    for (const client of this.clients) client.send(frame);
  }

  /** Forgets chats nobody follows and nothing is left of; returns how many went. */
  sweep(): number {
    let removed = 0;
    for (const [id, room] of this.rooms) {
      if (room.isIdle()) {
        this.rooms.delete(id);
        this.tombstones.set(id, room.log.head);
        removed++;
      }
    }
    for (const [id, head] of this.tombstones) {
      if (this.tombstones.size <= MAX_TOMBSTONES) break;
      this.tombstones.delete(id);
      this.floor = Math.max(this.floor, head);
    }
    return removed;
  }
}
