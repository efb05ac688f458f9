/** The contract of a durable chat history: what the in-process backend writes, and what it reads back after a restart. */

import type { AckFrame, ChatEvent, MessageEvent } from '../../shared/index.ts';
import type { HistoryLimits } from './replay-window.ts';

/** One logged event: when it was logged, and its serialized size (what retention and the replay bounds count). */
export interface StoredEntry {
  event: ChatEvent;
  at: number;
  bytes: number;
}

export interface RememberedAck {
  ack: AckFrame;
  at: number;
}

/** What the store holds of one chat when it is opened, retention already applied. */
export interface LoadedChat {
  /** The seq of the newest event ever logged (kept even when retention removed it). */
  head: number;
  /** Every event with seq ≤ this is gone for good (retention). */
  evictedThrough: number;
  /** Oldest first; a finished turn is its one compacted `message`, an unfinished one is its events. */
  entries: StoredEntry[];
  /** The acks of recent sends and presses, oldest first, so a resend after a restart is answered, not repeated. */
  acks: RememberedAck[];
}

/**
 * One chat's history on stable storage. Every write is in the store's hands (the OS's at least) before the call
 * returns, so it survives the relay's process dying; `HistoryStore.sync` makes it survive the machine too.
 * The store keeps envelopes as they are: it never reads a message's content.
 */
export interface ChatHistory {
  append(entry: StoredEntry): void;
  /** A finished turn: its events are replaced by `message`, placed at its `turn_end`'s seq. */
  compact(turnId: string, message: StoredEntry): void;
  /** The newest copy of a message, changed by an edit or a press (at the same seq). */
  revise(message: MessageEvent): void;
  remember(ack: RememberedAck): void;
  /**
   * Rewrites the whole stored history (retention applied) through `compact`, which returns the entries to keep:
   * some of them, each unchanged or with less in it, in order (or the very array it was given: nothing is
   * written). Returns what is kept. For envelopes whose meaning
   * makes older ones dead (the workspace's lost changes); the store itself still reads none.
   */
  rewrite(compact: (entries: StoredEntry[]) => StoredEntry[]): StoredEntry[];
  /** The kept events with `afterSeq` < seq ≤ `throughSeq`, oldest first, read back from storage. */
  read(afterSeq: number, throughSeq: number, now: number): { events: ChatEvent[]; evictedThrough: number };
  /** Lets go of the chat's resources; the history stays stored. */
  close(): void;
}

/** What `/healthz` says about the store. */
export interface HistoryStatus {
  kind: string;
  ok: boolean;
  /** Where the data lives (a directory), when it lives somewhere. */
  location?: string;
  /** Chats on storage and their bytes, when the store knows. */
  chats?: number;
  bytes?: number;
  /** Why the store cannot take writes right now. */
  error?: string;
  /** What each chat keeps (`--history-max-age` in ms, `--history-max-bytes`; 0: no bound). */
  retention?: HistoryLimits;
  /** Something that may lose history although writes succeed (a Redis that evicts keys under memory pressure). */
  warning?: string;
}

/** Where every chat's history is kept: one store per relay, opened before the relay starts. */
export interface HistoryStore {
  /** The relay's epoch, kept with the data so clients resume across restarts. */
  readonly epoch: string;
  open(chatId: string, now: number): { history: ChatHistory; loaded: LoadedChat };
  /** Resolves once every write made so far is on stable storage (fsync); rejects when it could not be. */
  sync(): Promise<void>;
  status(): HistoryStatus;
  close(): Promise<void>;
}
