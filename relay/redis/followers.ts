/** This relay's local followers of shared chats: one pub/sub channel per followed chat, replay merged with live. */

import type { ReplayResult, Subscriber } from '../core/chat-backend.ts';
import type { RedisConnection } from './connection.ts';
import { isRecovered } from '../core/replay-window.ts';
import { chatKeys, parseEntries } from './keys.ts';
import type { ScriptRunner } from './script-runner.ts';
import { REPLAY } from './scripts.ts';

interface Follower {
  /** Newest seq delivered; older live frames are duplicates of the replay. */
  lastSeq: number;
  /** Live frames that arrived while the replay was being read, delivered after it. */
  held: [number, string][] | undefined;
}

interface FollowedChat {
  subs: Map<Subscriber, Follower>;
  /** Resolves once the chat's channel subscription is active. */
  listening: Promise<void>;
}

export class Followers {
  private readonly chats = new Map<string, FollowedChat>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly scripts: ScriptRunner,
  ) {}

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
      const listening = this.redis.subscribe(chatKeys(chatId).channel, (message) => this.onMessage(chatId, message));
      chat = { subs: new Map(), listening };
      this.chats.set(chatId, chat);
    }
    const follower: Follower = { lastSeq: afterSeq, held: [] };
    chat.subs.set(sub, follower);
    try {
      await chat.listening;
    } catch (err) {
      this.chats.delete(chatId);
      throw err;
    }
    const keys = chatKeys(chatId);
    const reply = await this.scripts.run(REPLAY, [keys.seq, keys.log, keys.meta], [String(afterSeq)]);
    const [head, evicted, raw]: unknown[] = Array.isArray(reply) ? reply : [];
    const headSeq = Number(head ?? 0);
    const events = parseEntries(raw).map((entry) => entry.replay);
    const recovered = isRecovered(afterSeq, headSeq, Number(evicted ?? headSeq));
    onReplay({ epoch, head: headSeq, recovered, events });
    follower.lastSeq = Math.max(afterSeq, headSeq);
    const held = follower.held ?? [];
    follower.held = undefined;
    for (const [seq, frame] of held) this.deliver(sub, follower, seq, frame);
  }

  async unsubscribe(chatId: string, sub: Subscriber): Promise<void> {
    const subs = this.chats.get(chatId)?.subs;
    if (!subs?.delete(sub) || subs.size > 0) return;
    this.chats.delete(chatId);
    await this.redis.unsubscribe(chatKeys(chatId).channel).catch(() => undefined);
  }

  /** Chats that have at least one follower here. */
  followed(): string[] {
    return [...this.chats.keys()];
  }

  /** Forgets every follower (their sockets are being closed so they resume from scratch). */
  async clear(): Promise<void> {
    const channels = [...this.chats.keys()].map((id) => chatKeys(id).channel);
    this.chats.clear();
    await Promise.allSettled(channels.map((c) => this.redis.unsubscribe(c)));
  }

  private onMessage(chatId: string, message: string): void {
    const cut = message.indexOf('\n');
    const seq = Number(message.slice(0, cut));
    const frame = message.slice(cut + 1);
    for (const [sub, follower] of this.chats.get(chatId)?.subs ?? []) {
      if (follower.held) follower.held.push([seq, frame]);
      else this.deliver(sub, follower, seq, frame);
    }
  }

  private deliver(sub: Subscriber, follower: Follower, seq: number, frame: string): void {
    if (seq <= follower.lastSeq) return;
    follower.lastSeq = seq;
    sub.deliver(frame);
  }
}
