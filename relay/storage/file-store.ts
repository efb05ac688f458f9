/**
 * Every chat's history kept in one directory (`--data-dir`): `epoch`, `relay.pid`, and `chats/<hex id>.log`, one
 * append-only file per chat. Each event is written before it is fanned out (a killed relay keeps everything its
 * clients saw); an ack waits for a group-committed fdatasync (a crashed machine keeps everything acked).
 */

import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { StorageUnavailable } from '../core/chat-backend.ts';
import type { HistoryStatus, HistoryStore, LoadedChat } from '../core/history-store.ts';
import type { Logger } from '../core/logger.ts';
import type { HistoryLimits } from '../core/replay-window.ts';
import { ChatFile, type FileOwner } from './chat-file.ts';
import { scan } from './records.ts';

export interface FileStoreOptions {
  dir: string;
  retention: HistoryLimits;
  /** The idempotency window, which bounds the acks a rewrite keeps. */
  acks: { max: number; maxAgeMs: number };
  logger: Logger;
  now?: () => number;
}

/** How long a failed store refuses writes before it tries the disk again. */
const RETRY_MS = 1000;

const hex = (id: string): string => [...id].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class FileStore implements HistoryStore, FileOwner {
  readonly retention: HistoryLimits;
  readonly acks: { max: number; maxAgeMs: number };
  private readonly open_ = new Set<ChatFile>();
  private error: string | undefined;
  /** When the last write failed: writes are refused without trying for RETRY_MS after it (a full disk stays full). */
  private failedAt = 0;
  /** The fdatasync running now, and the one that will run after it for writes made meanwhile. */
  private flushing: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private readonly clock: () => number;

  constructor(
    private readonly options: FileStoreOptions,
    private readonly chatsDir: string,
    readonly epoch: string,
    private chats: number,
    private bytes: number,
  ) {
    this.retention = options.retention;
    this.acks = options.acks;
    this.clock = options.now ?? Date.now;
  }

  now(): number {
    return this.clock();
  }

  open(chatId: string, now: number): { history: ChatFile; loaded: LoadedChat } {
    this.checkWritable();
    const path = join(this.chatsDir, `${hex(chatId)}.log`);
    let content: Uint8Array = new Uint8Array(0);
    let fresh = false;
    try {
      content = readFileSync(path);
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) this.failed(undefined, err);
      fresh = true;
    }
    const found = scan(content, now, this.retention);
    let fd: number;
    try {
      fd = openSync(path, 'a');
      if (found.torn) ftruncateSync(fd, found.soundBytes);
      if (fresh) fsyncDir(this.chatsDir);
    } catch (err) {
      this.failed(undefined, err);
    }
    if (found.torn || found.damaged) {
      this.options.logger.warn('chat history damaged: kept every intact record', {
        chat: chatId,
        file: path,
        torn_tail: found.torn,
        damaged_lines: found.damaged,
        kept_bytes: found.soundBytes,
      });
    }
    if (fresh) this.chats++;
    const file = new ChatFile(this, path, fd, found.soundBytes, found);
    this.open_.add(file);
    if (found.retained || found.damaged) file.rewriteFrom(found);
    return { history: file, loaded: found.chat };
  }

  sync(): Promise<void> {
    // Writes made while an fdatasync runs may have missed it: they wait for the next one, shared by all of them.
    if (!this.next) {
      const after = this.flushing ?? Promise.resolve();
      this.next = after
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          this.flushing = this.flushAll().finally(() => (this.flushing = undefined));
          return this.flushing;
        });
    }
    return this.next;
  }

  private async flushAll(): Promise<void> {
    const files = [...this.open_].filter((f) => f.dirty);
    for (const f of files) f.dirty = false;
    const failedAt = this.error === undefined ? undefined : this.failedAt;
    await Promise.all(
      files.map(
        (f) =>
          new Promise<void>((resolve, reject) => {
            const fd = f.fd;
            fdatasync(fd, (err) => {
              // A file rewritten meanwhile was synced by its rewrite, under a new descriptor.
              if (!err || f.fd !== fd) return resolve();
              try {
                this.fail(err);
              } catch (refused) {
                reject(refused);
              }
            });
          }),
      ),
    );
    // Written and synced since the failure: the store works again.
    if (failedAt !== undefined && this.failedAt === failedAt && files.length > 0) {
      this.error = undefined;
      this.options.logger.info('history store writable again', { dir: this.options.dir });
    }
  }

  /**
   * Throws while the store is failing. A failed store tries again at most every RETRY_MS, so it heals by itself once
   * the disk has room; it reports failing until a write has reached the disk again (see flushAll).
   */
  checkWritable(): void {
    if (this.error !== undefined && this.now() - this.failedAt < RETRY_MS) throw new StorageUnavailable();
  }

  written(_file: ChatFile, bytes: number): void {
    this.bytes += bytes;
  }

  rewritten(_file: ChatFile, before: number, after: number): void {
    this.bytes += after - before;
  }

  closed(file: ChatFile): void {
    this.open_.delete(file);
  }

  failed(file: ChatFile | undefined, err: unknown): never {
    if (file) {
      try {
        // Cut a half-written record off, so the next start finds whole records only.
        ftruncateSync(file.fd, file.size);
      } catch {
        // The next start cuts a torn tail off anyway.
      }
    }
    this.fail(err);
  }

  private fail(err: unknown): never {
    const first = this.error === undefined;
    this.error = errorText(err);
    this.failedAt = this.now();
    if (first)
      this.options.logger.error('history store failed: refusing writes', { dir: this.options.dir, error: this.error });
    throw new StorageUnavailable();
  }

  status(): HistoryStatus {
    return {
      kind: 'files',
      ok: this.error === undefined,
      location: this.options.dir,
      chats: this.chats,
      bytes: this.bytes,
      retention: this.retention,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  async close(): Promise<void> {
    await this.flushing;
    for (const file of [...this.open_]) {
      try {
        file.close();
      } catch {
        // Closing is best effort: every record was already written.
      }
    }
    try {
      unlinkSync(join(this.options.dir, 'relay.pid'));
    } catch {
      // Gone already.
    }
  }
}
