/** Connects the shared (Redis) backend for `--redis-url`, failing start-up clearly when Redis is out of reach. */

import type { RedisBackendOptions } from './redis-backend.ts';
import { RedisBackend } from './redis-backend.ts';
import type { TurnDeps } from '../core/turn-runner.ts';
import { connectRedis } from './node-redis.ts';

const CONNECT_TIMEOUT_MS = 5000;

export async function createRedisBackend(
  url: string,
  deps: TurnDeps,
  options: RedisBackendOptions,
): Promise<RedisBackend> {
  const connecting = connectRedis(url, deps.logger);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cannot reach Redis within ${CONNECT_TIMEOUT_MS / 1000}s`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    const redis = await Promise.race([connecting, timeout]);
    return await RedisBackend.create(redis, deps, options);
  } catch (err) {
    void connecting.then((redis) => redis.close()).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
