/**
 * The sync as the shell sees it from the first paint on. The relay side (ChatSync: the connection, the outbox sender,
 * repairs, the frame parsers) is a chunk of its own that loads after the first paint; until it is here this answers
 * for it: offline, nothing in flight, and a message sent meanwhile is written and queued in its own task, as always,
 * to leave once the connection is up.
 */

import type { AgentInfo, HumanAnswer } from '../../shared/index.ts';
import type { ChatStore, Undo } from './chat-store.ts';
import type { ChatSync } from './chat-sync.ts';
import type { ConnectionState } from './relay-connection.ts';
import type { LocalMessage, QueuedAnswer } from './types.ts';
import { writeMessage, type Placement } from './write-message.ts';

/** What the shell reads of the connection. */
export interface ConnectionView {
  readonly state: ConnectionState;
  readonly lastError: string;
  readonly retryAt: number | undefined;
  readonly ready: { readonly epoch: string; readonly client_id: string } | undefined;
  reconnect(): void;
}

/** The connection before the relay side has loaded: about to dial. */
const LOADING: ConnectionView = {
  state: 'connecting',
  lastError: '',
  retryAt: undefined,
  ready: undefined,
  reconnect: () => undefined,
};

const NO_ANSWERS: readonly QueuedAnswer[] = [];

export class SyncFront {
  /** The relay side, once its chunk is here and the core has dialled. */
  private live: ChatSync | undefined;
  private readonly arrived: Promise<ChatSync>;
  private arrive: (sync: ChatSync) => void = () => undefined;
  /** Chats asked for before the relay side was here, handed to it when it is. */
  private readonly wanted = new Map<string, boolean>();
  /** Messages sent before the relay side was here (written and queued; its start reads the queue). */
  private early = 0;

  constructor(private readonly store: ChatStore) {
    this.arrived = new Promise((resolve) => (this.arrive = resolve));
  }

  /** The relay side for the relay named now (a reconnect replaces the old one, which the core stopped). */
  attach(sync: ChatSync): void {
    const first = this.live === undefined;
    this.live = sync;
    if (!first) return;
    for (const [chatId, first] of this.wanted) sync.subscribe(chatId, first);
    this.wanted.clear();
    this.arrive(sync);
  }

  /** The relay side in use, if loaded: the core stops it before it dials another relay. */
  get current(): ChatSync | undefined {
    return this.live;
  }

  /** The relay side in use once it is here (the latest, should the core have dialled another relay meanwhile). */
  private async relaySide(): Promise<ChatSync> {
    const first = await this.arrived;
    return this.live ?? first;
  }

  get connection(): ConnectionView {
    return this.live?.connection ?? LOADING;
  }

  get agent(): AgentInfo | undefined {
    return this.live?.agent;
  }

  /** Messages and presses waiting to be sent. */
  get pending(): number {
    return this.live ? this.live.pending : this.early;
  }

  queuedAnswers(chatId: string): readonly QueuedAnswer[] {
    return this.live?.queuedAnswers(chatId) ?? NO_ANSWERS;
  }

  subscribe(chatId: string, first = true): void {
    if (this.live) this.live.subscribe(chatId, first);
    else this.wanted.set(chatId, first);
  }

  unsubscribe(chatId: string): void {
    if (this.live) this.live.unsubscribe(chatId);
    else this.wanted.delete(chatId);
  }

  /** Written in this task either way; before the relay side is here the frame waits in the stored queue. */
  send(chatId: string, text: string, files: File[] = [], model = '', place: Placement = {}): Promise<void> {
    if (this.live) return this.live.send(chatId, text, files, model, place);
    const { written } = writeMessage(this.store, chatId, text, files, '', {}, place);
    this.early += 1;
    this.subscribe(chatId);
    return written;
  }

  /** False when there is nothing to stop or no connection (there is none before the relay side is here). */
  stop(chatId: string): boolean {
    return this.live?.stop(chatId) ?? false;
  }

  /** An import queued messages for the relay; before the relay side is here its start reads the queue anyway. */
  shareImported(chatIds: readonly string[]): void {
    if (this.live) this.live.shareImported(chatIds);
    else for (const id of chatIds) this.subscribe(id, false);
  }

  /** Another tab changed the queue; before the relay side is here its start reads the queue anyway. */
  reloadOutbox(): void {
    this.live?.reloadOutbox();
  }

  // Rarer commands, all made from what is on screen: they wait for the relay side the moment it takes to arrive.

  async press(chatId: string, messageId: string, actionId: string): Promise<void> {
    await (await this.relaySide()).press(chatId, messageId, actionId);
  }

  async answer(chatId: string, a: { messageId: string; requestId: string; answer: HumanAnswer }): Promise<void> {
    await (await this.relaySide()).answer(chatId, a);
  }

  async retry(message: LocalMessage): Promise<void> {
    await (await this.relaySide()).retry(message);
  }

  async regenerate(reply: LocalMessage, model = ''): Promise<void> {
    await (await this.relaySide()).regenerate(reply, model);
  }

  async continueReply(reply: LocalMessage): Promise<boolean> {
    return (await this.relaySide()).continueReply(reply);
  }

  async discard(message: LocalMessage): Promise<Undo | undefined> {
    return (await this.relaySide()).discard(message);
  }
}
