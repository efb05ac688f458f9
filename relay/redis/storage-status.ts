/** What `/healthz` says of a Redis relay's storage: reachable or not, the memory Redis uses, and whether it could evict chats. */

import type { HistoryStatus } from '../core/history-store.ts';
import type { HistoryLimits } from '../core/replay-window.ts';
import type { RedisConnection } from './connection.ts';

export class StorageStatus {
  private bytes: number | undefined;
  private policy: string | undefined;

  constructor(private readonly redis: RedisConnection) {}

  /** Reads `INFO memory` (on start and every tick), so `/healthz` answers without asking Redis. */
  async read(): Promise<void> {
    const info = await this.redis.command(['INFO', 'memory']);
    if (typeof info !== 'string') return;
    const value = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
    const bytes = Number(value('used_memory'));
    this.bytes = Number.isFinite(bytes) ? bytes : undefined;
    this.policy = value('maxmemory_policy');
  }

  report(retention: HistoryLimits): HistoryStatus {
    const status: HistoryStatus = { kind: 'redis', ok: this.redis.ready, retention };
    if (!this.redis.ready) return { ...status, error: 'redis unreachable' };
    if (this.bytes !== undefined) status.bytes = this.bytes;
    // Every other policy may drop keys under memory pressure: a volatile one those with a TTL (the idempotency
    // window, the turn queue, and with --history-max-age the chats themselves), an allkeys one any chat.
    if (this.policy !== undefined && this.policy !== 'noeviction')
      status.warning = `redis maxmemory-policy ${this.policy} may evict chat history when memory runs short`;
    return status;
  }
}
