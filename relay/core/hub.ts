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

export class Hub {
  readonly rooms = new Map<string, ChatRoom>();
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
      room = new ChatRoom(chatId, {
        epoch: this.epoch,
        now: this.now,
        idempotencyWindow: this.config.idempotencyWindow,
        replay: { maxEvents: this.config.replayMaxEvents, maxAgeMs: this.config.replayMaxAgeSec * 1000 },
      });
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
        removed++;
      }
    }
    return removed;
  }
}
