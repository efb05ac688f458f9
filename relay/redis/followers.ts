/** This relay's local followers of shared chats: one pub/sub channel per followed chat, replay merged with live. */

import type { ChatEvent, ErrorFrame } from '../../shared/index.ts';
import type { ReplayResult, Subscriber } from '../core/chat-backend.ts';
import { batchAfter, Coalescer, type Batch, type CoalescerOptions } from '../core/coalescer.ts';
import type { RedisConnection } from './connection.ts';
import { isRecovered } from '../core/replay-window.ts';
import { chatKeys, parseEntries, parseEvent } from './keys.ts';
import type { ScriptRunner } from './script-runner.ts';
import { logParams, REPLAY, type LogLimits } from './scripts.ts';

interface Follower {
  /** Newest seq delivered; older live frames are duplicates of the replay. */
  lastSeq: number;
  /** Live frames that arrived while the replay was being read, delivered after it. */
  held: Batch[] | undefined;
}

interface FollowedChat {
  subs: Map<Subscriber, Follower>;
  /** Resolves once the chat's channel subscription is active. */
  listening: Promise<void>;
  /** The chat's live frames, coalesced once for all of its followers here. */
  outgoing: Coalescer;
}

export class Followers {
  private readonly chats = new Map<string, FollowedChat>();
  /**
   * Channels being left (their last follower here went). A chat followed again meanwhile subscribes once that is
   * done: an unsubscribe answered after the new subscribe would silence the chat for its new followers.
   */
  private readonly leaving = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly scripts: ScriptRunner,
    private readonly delivery: CoalescerOptions,
    private readonly limits: () => LogLimits,
  ) {}

  /** Sends this relay's followers of a chat a frame outside its stream (no seq, not kept), after what waits to go out. */
  notify(chatId: string, frame: ErrorFrame): void {
    const chat = this.chats.get(chatId);
    if (!chat) return;
    chat.outgoing.flush();
    const data = JSON.stringify(frame);
    for (const sub of chat.subs.keys()) sub.deliver(data);
  }

  /** Attaches `sub`, reads the replay after `afterSeq`, hands it to `onReplay`, then lets live frames through. */
  async subscribe(
    chatId: string,
    sub: Subscriber,
    afterSeq: number,
    epoch: string,
    onReplay: (replay: ReplayResult) => void,
  ): Promise<void> {
    let chat = this.chats.get(chatId);
    if (!chat) {
      // Subscribe before reading the log, so nothing published in between is missed (duplicates are dropped by seq).
      const channel = chatKeys(chatId).channel;
      const left = this.leaving.get(chatId) ?? Promise.resolve();
      const listening = left.then(() => this.redis.subscribe(channel, (message) => this.onMessage(chatId, message)));
      const subs = new Map<Subscriber, Follower>();
      const outgoing = new Coalescer(this.delivery, (batch) => this.fanOut(subs, batch));
      chat = { subs, listening, outgoing };
      this.chats.set(chatId, chat);
    }
    const follower: Follower = { lastSeq: afterSeq, held: [] };
    chat.subs.set(sub, follower);
    try {
      await chat.listening;
    } catch (err) {
      this.chats.get(chatId)?.outgoing.close();
      this.chats.delete(chatId);
      throw err;
    }
    const reply = await this.scripts.run(REPLAY, ...logParams(chatId, epoch, this.limits(), [], [String(afterSeq)]));
    const [head, evicted, raw]: unknown[] = Array.isArray(reply) ? reply : [];
    const headSeq = Number(head ?? 0);
    const events = parseEntries(raw).map((entry) => entry.replay);
    const recovered = isRecovered(afterSeq, headSeq, Number(evicted ?? headSeq));
    onReplay({ epoch, head: headSeq, recovered, events });
    follower.lastSeq = Math.max(afterSeq, headSeq);
    const held = follower.held ?? [];
    follower.held = undefined;
    for (const batch of held) this.deliver(sub, follower, batch);
  }

  /** Every event of the chat's log as a replay sends it (finished turns as whole messages), oldest first. */
  async read(chatId: string, epoch: string): Promise<ChatEvent[]> {
    const reply = await this.scripts.run(REPLAY, ...logParams(chatId, epoch, this.limits(), [], ['0']));
    const raw: unknown = Array.isArray(reply) ? reply[2] : undefined;
    return parseEntries(raw).map((entry) => entry.replay);
  }

  async unsubscribe(chatId: string, sub: Subscriber): Promise<void> {
    const chat = this.chats.get(chatId);
    if (!chat?.subs.delete(sub) || chat.subs.size > 0) return;
    chat.outgoing.close();
    this.chats.delete(chatId);
    const left = this.redis.unsubscribe(chatKeys(chatId).channel).catch(() => undefined);
    this.leaving.set(chatId, left);
    await left;
    if (this.leaving.get(chatId) === left) this.leaving.delete(chatId);
  }

  /** Chats that have at least one follower here. */
  followed(): string[] {
    return [...this.chats.keys()];
  }

  /** Forgets every follower (their sockets are being closed so they resume from scratch). */
  async clear(): Promise<void> {
    const channels = [...this.chats.keys()].map((id) => chatKeys(id).channel);
    for (const chat of this.chats.values()) chat.outgoing.close();
    this.chats.clear();
    await Promise.allSettled(channels.map((c) => this.redis.unsubscribe(c)));
  }

  private onMessage(chatId: string, message: string): void {
    const cut = message.indexOf('\n');
    const seq = Number(message.slice(0, cut));
    const frame = message.slice(cut + 1);
    const chat = this.chats.get(chatId);
    // Parsed once per chat on this relay, and only when it may share a frame with its neighbours.
    chat?.outgoing.add(seq, frame, this.delivery.windowMs > 0 ? parseEvent(frame) : undefined);
  }

  private fanOut(subs: Map<Subscriber, Follower>, batch: Batch): void {
    for (const [sub, follower] of subs) {
      if (follower.held) follower.held.push(batch);
      else this.deliver(sub, follower, batch);
    }
  }

  /** Sends a follower what it lacks of a batch: all of it, nothing (its replay had it), or the part after its replay. */
  private deliver(sub: Subscriber, follower: Follower, batch: Batch): void {
    if (batch.last <= follower.lastSeq) return;
    const data = batch.first > follower.lastSeq ? batch.data : batchAfter(batch, follower.lastSeq);
    follower.lastSeq = batch.last;
    sub.deliver(data);
  }
}
