/** Applies a chat's event stream to an ordered list of whole messages, idempotently (live, replayed or both). */

import {
  applyEdit,
  cloneMessage,
  endTurnMessage,
  foldTurnEvent,
  markActionUsed,
  startAssistantMessage,
} from '../../shared/fold.ts';
import type { ChatMessage } from '../../shared/model.ts';
import type { ChatEvent } from '../../shared/relay-frames.ts';

export class Transcript {
  private readonly order: string[] = [];
  private readonly byId = new Map<string, ChatMessage>();
  /** The newest seq applied; older events are already reflected and are skipped. */
  lastSeq = 0;
  epoch: string | undefined;

  get messages(): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const id of this.order) {
      const m = this.byId.get(id);
      if (m) out.push(m);
    }
    return out;
  }

  get(id: string): ChatMessage | undefined {
    return this.byId.get(id);
  }

  /** Starts a new seq space (a new relay epoch); messages are kept and later upserted by id. */
  resetSeq(epoch: string): void {
    this.epoch = epoch;
    this.lastSeq = 0;
  }

  /** Applies one event; returns false when it was already applied (a duplicate by seq). */
  apply(event: ChatEvent): boolean {
    if (event.seq <= this.lastSeq && event.type !== 'message') return false;
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    switch (event.type) {
      case 'message':
        this.upsert(cloneMessage(event.message));
        return true;
      case 'turn_start':
        if (!this.byId.has(event.message_id)) this.upsert(startAssistantMessage(event.message_id, event.turn_id, 0));
        return true;
      case 'turn_end': {
        const m = this.byId.get(event.message_id);
        if (m) endTurnMessage(m, event.status, event.error);
        return true;
      }
      case 'message_edit': {
        const m = this.byId.get(event.message_id);
        if (m) applyEdit(m, event.text, event.edited_at);
        return true;
      }
      case 'retract':
        this.byId.delete(event.message_id);
        return true;
      case 'action_used': {
        const m = this.byId.get(event.message_id);
        if (m) markActionUsed(m, event.action_id);
        return true;
      }
      default: {
        const m = this.byId.get(event.message_id);
        if (m && m.status === undefined) foldTurnEvent(m, event);
        return true;
      }
    }
  }

  private upsert(message: ChatMessage): void {
    if (!this.byId.has(message.id)) this.order.push(message.id);
    this.byId.set(message.id, message);
  }
}
