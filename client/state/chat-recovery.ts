/**
 * Repairs a chat after the relay could not replay what this device missed: refills from the agent's
 * history where it keeps one, says honestly what may be missing, and (when the relay restarted and lost
 * its turns) asks again the messages whose replies it cut off.
 */

import type { AgentInfo, ClientFrame, ErrorFrame, HistoryResultFrame, SubscribedFrame } from '../../shared/index.ts';
import type { ChatCache } from './chat-cache.ts';
import type { ChatStore } from './chat-store.ts';
import { newId } from './ids.ts';
import type { OutboxSender } from './outbox-sender.ts';
import type { LocalMessage, OutboxEntry } from './types.ts';

const HISTORY_LIMIT = 200;
const CUT_OFF = 'The relay restarted during this reply.';
const ASKED_AGAIN = 'The relay restarted during this reply; Parley asked again.';

export interface RecoveryDeps {
  store: ChatStore;
  outbox: OutboxSender;
  send(frame: ClientFrame): boolean;
  agent(): AgentInfo | undefined;
}

/**
 * The user messages, newest last, that the relay took in an earlier epoch and whose replies never
 * finished: what trails the chat after its last finished reply. Messages the agent's history already
 * holds (`known`) were received by the agent and are not sent twice.
 */
export function lostMessages(messages: LocalMessage[], epoch: string, known: Set<string>): LocalMessage[] {
  const lost: LocalMessage[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m) continue;
    if (m.role === 'assistant') {
      if (m.interrupted) continue;
      break;
    }
    if (m.state === 'pending' || m.state === 'failed') continue;
    if (m.epoch === undefined || m.epoch === epoch || known.has(m.id)) break;
    lost.unshift(m);
  }
  return lost;
}

function resendEntry(m: LocalMessage, clientMsgId: string): OutboxEntry {
  return {
    kind: 'send',
    chat_id: m.chat_id,
    client_msg_id: clientMsgId,
    text: m.text,
    attachment_ids: (m.attachments ?? []).map((a) => a.id),
    created_at: m.created_at,
  };
}

export class ChatRecovery {
  /** History requests in flight: request id → the chat, and whether messages are to be asked again after it. */
  private readonly asked = new Map<string, { chatId: string; repair: boolean }>();

  constructor(private readonly deps: RecoveryDeps) {}

  /** A new connection: answers to requests sent on the old one will not come. */
  reset(): void {
    this.asked.clear();
  }

  /**
   * The relay answered a subscribe; its replay follows. Repair is decided from the messages, not from this
   * one answer, so a connection lost halfway through a repair repeats it on the next subscribe.
   */
  onSubscribed(frame: SubscribedFrame): void {
    const { store, outbox } = this.deps;
    const chatId = frame.chat_id;
    const cache = store.cache(chatId);
    const before = cache.cursor?.epoch;
    const restarted = before !== undefined && before !== frame.epoch;
    cache.replayHead = frame.head_seq;
    cache.gap = false;
    if (before !== frame.epoch) cache.cursor = { epoch: frame.epoch, seq: 0 };
    if (!restarted && frame.recovered) {
      store.changed();
      outbox.flush(chatId);
      return;
    }
    // Repair reads the whole history; nothing written later may overtake what the relay lost meanwhile.
    outbox.hold(chatId);
    // The replay that follows waits in the chat's backlog for the same read, and this runs first (added first).
    void store
      .chat(chatId)
      .open()
      .then(() => this.repair(cache, frame, restarted));
  }

  private repair(cache: ChatCache, frame: SubscribedFrame, restarted: boolean): void {
    const { store, outbox } = this.deps;
    const chatId = frame.chat_id;
    if (restarted) cache.interrupt(CUT_OFF);
    if (!frame.recovered && cache.messages.length > 0) cache.notice = this.notice(restarted);
    const repair = lostMessages(cache.messages, frame.epoch, new Set()).length > 0;
    if (this.deps.agent()?.capabilities.includes('history')) {
      const request_id = newId('h');
      this.asked.set(request_id, { chatId, repair });
      this.deps.send({ type: 'history', chat_id: chatId, request_id, limit: HISTORY_LIMIT });
      if (!repair) outbox.release(chatId);
    } else if (repair) {
      void this.askAgain(cache, new Set()).finally(() => outbox.release(chatId));
    } else {
      outbox.release(chatId);
    }
    store.changed();
  }

  /** Fills the chat with what the agent's history has and this device lacks, then asks again what is still lost. */
  onHistory(frame: HistoryResultFrame): void {
    const asked = this.asked.get(frame.request_id);
    this.asked.delete(frame.request_id);
    const cache = this.deps.store.cache(frame.chat_id);
    const added = cache.addHistory(frame.messages);
    if (added > 0) {
      cache.notice = `The relay could not replay everything, so ${added} missing message${added === 1 ? ' was' : 's were'} restored from the agent's history.`;
    }
    this.deps.store.changed();
    if (asked?.repair) {
      const known = new Set(frame.messages.map((m) => m.id));
      void this.askAgain(cache, known).finally(() => this.deps.outbox.release(frame.chat_id));
    }
  }

  /** A history request failed (the agent keeps none, or is away): carry on without it. Returns false if not ours. */
  onError(frame: ErrorFrame): boolean {
    const asked = frame.ref ? this.asked.get(frame.ref) : undefined;
    if (!asked || !frame.ref) return false;
    this.asked.delete(frame.ref);
    if (asked.repair) {
      const cache = this.deps.store.cache(asked.chatId);
      void this.askAgain(cache, new Set()).finally(() => this.deps.outbox.release(asked.chatId));
    }
    return true;
  }

  private notice(restarted: boolean): string {
    return restarted
      ? 'The relay restarted and lost what it held for this chat. Everything on this device is kept; replies it cut off are asked again, and messages sent from elsewhere meanwhile may be missing here.'
      : 'Some events of this chat were no longer held by the relay when this device reconnected; messages from that gap may be missing here.';
  }

  /**
   * Queues again, first and under their own ids, the messages whose replies the restart lost.
   * Those the agent's history holds reached the agent; they are re-stamped with the current epoch instead,
   * so they are not asked again, and their cut-off replies stay as they are.
   */
  private async askAgain(cache: ChatCache, known: Set<string>): Promise<void> {
    const epoch = cache.cursor?.epoch ?? '';
    for (const m of lostMessages(cache.messages, epoch, new Set())) {
      if (known.has(m.id)) cache.upsertLocal({ ...m, epoch });
    }
    const lost = lostMessages(cache.messages, epoch, known);
    if (lost.length === 0) return;
    for (const m of cache.messages) {
      if (m.interrupted && m.error === CUT_OFF) cache.upsertLocal({ ...m, error: ASKED_AGAIN });
    }
    const entries = lost.map((m) => resendEntry(m, m.id));
    await this.deps.outbox.requeueFirst(entries);
  }
}
