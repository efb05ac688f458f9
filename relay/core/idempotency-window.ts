/** Remembers the acks of a chat's recent sends and presses, so a resend is answered, not repeated. */

import type { AckFrame } from '../../shared/index.ts';
import type { ChatHistory, RememberedAck } from './history-store.ts';

export class IdempotencyWindow {
  private readonly acks = new Map<string, { ack: AckFrame; at: number }>();

  /** `history` keeps each ack with the chat's events, and `remembered` are the ones it kept before a restart. */
  constructor(
    private readonly max: number,
    private readonly maxAgeMs: number,
    private readonly history?: ChatHistory,
    remembered: readonly RememberedAck[] = [],
  ) {
    for (const { ack, at } of remembered) this.keep(ack, at);
  }

  get(clientMsgId: string, now: number): AckFrame | undefined {
    const hit = this.acks.get(clientMsgId);
    if (!hit) return undefined;
    if (hit.at < now - this.maxAgeMs) {
      this.acks.delete(clientMsgId);
      return undefined;
    }
    return hit.ack;
  }

  remember(ack: AckFrame, now: number): void {
    this.history?.remember({ ack, at: now });
    this.keep(ack, now);
  }

  private keep(ack: AckFrame, now: number): void {
    this.acks.set(ack.client_msg_id, { ack, at: now });
    // A Map iterates in insertion order, so the first key is the oldest.
    while (this.acks.size > this.max) {
      const oldest = this.acks.keys().next();
      if (oldest.done) break;
      this.acks.delete(oldest.value);
    }
  }

  get size(): number {
    return this.acks.size;
  }
}
