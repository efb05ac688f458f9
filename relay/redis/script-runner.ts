/** Runs the Lua scripts by SHA: each source goes to Redis once (SCRIPT LOAD), and again only when Redis lost it. */

import type { RedisConnection } from './connection.ts';

export class ScriptRunner {
  /** SHA1 of each script source Redis has loaded, by source. */
  private readonly shas = new Map<string, Promise<string>>();

  constructor(private readonly redis: RedisConnection) {}

  /** EVALSHA of `source`; a Redis that restarted or flushed its scripts answers NOSCRIPT, so it is loaded again. */
  async run(source: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const call = async () =>
      this.redis.command(['EVALSHA', await this.sha(source), String(keys.length), ...keys, ...args]);
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      this.shas.delete(source);
      return call();
    }
  }

  private sha(source: string): Promise<string> {
    const known = this.shas.get(source);
    if (known) return known;
    const loading = this.redis.command(['SCRIPT', 'LOAD', source]).then((sha) => {
      if (typeof sha !== 'string') throw new Error('redis SCRIPT LOAD returned no SHA');
      return sha;
    });
    this.shas.set(source, loading);
    // A load that failed (Redis unreachable) is tried again by the next call.
    loading.catch(() => this.shas.get(source) === loading && this.shas.delete(source));
    return loading;
  }
}
