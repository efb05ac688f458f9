/** One chat's history file: appended to before each event is fanned out, rewritten when mostly dead weight. */

import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import type { ChatEvent, MessageEvent } from '../../shared/index.ts';
import { StorageUnavailable } from '../core/chat-backend.ts';
import type { ChatHistory, RememberedAck, StoredEntry } from '../core/history-store.ts';
import type { HistoryLimits } from '../core/replay-window.ts';
import { ackRecord, eventRecord, rewrite, reviseRecord, scan, type FileScan } from './records.ts';

const encoder = new TextEncoder();

/** A file is rewritten once its dead records pass this and outweigh the living ones. */
const REWRITE_MIN_DEAD = 1 << 20;

/** What a chat file needs from its store: the shared settings, the fsync queue, and the failure flag. */
export interface FileOwner {
  readonly retention: HistoryLimits;
  readonly acks: { max: number; maxAgeMs: number };
  now(): number;
  /** Throws when the store has failed, so nothing is written after a write went wrong. */
  checkWritable(): void;
  written(file: ChatFile, bytes: number): void;
  failed(file: ChatFile, err: unknown): never;
  rewritten(file: ChatFile, before: number, after: number): void;
  closed(file: ChatFile): void;
}

export class ChatFile implements ChatHistory {
  /** Unsynced writes since the last fdatasync (the store's group commit clears it). */
  dirty = false;
  private dead: number;
  private readonly turnBytes: Map<string, number>;

  constructor(
    private readonly owner: FileOwner,
    readonly path: string,
    public fd: number,
    public size: number,
    found: FileScan,
  ) {
    this.dead = found.deadBytes;
    this.turnBytes = found.openTurnBytes;
  }

  append(entry: StoredEntry): void {
    const n = this.write(eventRecord(entry));
    if ('turn_id' in entry.event)
      this.turnBytes.set(entry.event.turn_id, (this.turnBytes.get(entry.event.turn_id) ?? 0) + n);
  }

  compact(turnId: string, message: StoredEntry): void {
    this.write(eventRecord(message, 'c', turnId));
    this.dead += this.turnBytes.get(turnId) ?? 0;
    this.turnBytes.delete(turnId);
    this.rewriteIfWasteful();
  }

  revise(message: MessageEvent): void {
    this.dead += this.write(reviseRecord(message, 0));
  }

  remember(ack: RememberedAck): void {
    // An ack matters only within the idempotency window, so a rewrite keeps only the newest.
    this.dead += this.write(ackRecord(ack));
    this.rewriteIfWasteful();
  }

  rewrite(compact: (entries: StoredEntry[]) => StoredEntry[]): StoredEntry[] {
    const found = this.scanFile();
    const entries = compact(found.chat.entries);
    if (entries !== found.chat.entries) this.rewriteFrom({ ...found, chat: { ...found.chat, entries } });
    return entries;
  }

  read(afterSeq: number, throughSeq: number, now: number): { events: ChatEvent[]; evictedThrough: number } {
    let file: Uint8Array;
    try {
      file = readFileSync(this.path);
    } catch {
      throw new StorageUnavailable();
    }
    const { chat } = scan(file, now, this.owner.retention);
    const events: ChatEvent[] = [];
    for (const { event } of chat.entries) if (event.seq > afterSeq && event.seq <= throughSeq) events.push(event);
    return { events, evictedThrough: chat.evictedThrough };
  }

  close(): void {
    try {
      if (this.dirty) fdatasyncSync(this.fd);
      closeSync(this.fd);
    } finally {
      this.owner.closed(this);
    }
  }

  private scanFile(): FileScan {
    try {
      return scan(readFileSync(this.path), this.owner.now(), this.owner.retention);
    } catch {
      throw new StorageUnavailable();
    }
  }

  /** Writes the file afresh from what it holds now: retention applied, compacted turns and old acks dropped. */
  rewriteFrom(found = this.scanFile()): void {
    const cutoff = this.owner.now() - this.owner.acks.maxAgeMs;
    const acks = found.chat.acks.filter((a) => a.at >= cutoff).slice(-this.owner.acks.max);
    const text = rewrite(found.chat, acks);
    const bytes = encoder.encode(text);
    const tmp = `${this.path}.tmp`;
    const before = this.size;
    try {
      writeFileSync(tmp, bytes);
      const tfd = openSync(tmp, 'r+');
      fsyncSync(tfd);
      closeSync(tfd);
      // The old file holds everything the new one does, so only the rename has to be atomic.
      if (this.dirty) fdatasyncSync(this.fd);
      closeSync(this.fd);
      renameSync(tmp, this.path);
      this.fd = openSync(this.path, 'a');
    } catch (err) {
      this.owner.failed(this, err);
    }
    this.size = bytes.length;
    this.dirty = false;
    const again = scan(bytes, this.owner.now(), this.owner.retention);
    this.dead = again.deadBytes;
    this.turnBytes.clear();
    for (const [turn, n] of again.openTurnBytes) this.turnBytes.set(turn, n);
    this.owner.rewritten(this, before, this.size);
  }

  private rewriteIfWasteful(): void {
    if (this.dead > REWRITE_MIN_DEAD && this.dead * 2 > this.size) this.rewriteFrom();
  }

  /** Appends one record; returns its bytes. Partial writes are finished, a failed one is undone and reported. */
  private write(line: string): number {
    this.owner.checkWritable();
    const bytes = encoder.encode(line);
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (err) {
      this.owner.failed(this, err);
    }
    this.size += bytes.length;
    this.dirty = true;
    this.owner.written(this, bytes.length);
    return bytes.length;
  }
}
