/** Applies a chat's event stream to an ordered list of whole messages, idempotently (live, replayed or both). */

import { foldEvent, foldTarget, importedAdds } from '../../shared/fold.ts';
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
    if (event.type === 'imported') {
      for (const m of importedAdds(event, (id) => this.byId.has(id))) this.upsert(m);
      return true;
    }
    const id = foldTarget(event);
    const next = foldEvent(this.byId.get(id), event);
    if (next) this.upsert(next);
    else this.byId.delete(id);
    return true;
  }

  private upsert(message: ChatMessage): void {
    if (!this.byId.has(message.id)) this.order.push(message.id);
    this.byId.set(message.id, message);
  }
}
