/** A suite's two relays with the demo agent: one in process, one on a real redis-server, started once and stopped after. */

import { afterAll, beforeAll } from 'vitest';
import { startRedis, type TestRedis } from './redis.ts';
import { startRelay, type TestRelay } from './relay.ts';

export const BACKEND_NAMES = ['in-process', 'redis'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Registers the suite's start and stop; the returned function names the relay of a backend once they run. */
export function demoRelaysOnBothBackends(): (backend: BackendName) => TestRelay {
  let redis: TestRedis | undefined;
  const relays: Partial<Record<BackendName, TestRelay>> = {};
  beforeAll(async () => {
    redis = await startRedis();
    relays['in-process'] = await startRelay();
    relays['redis'] = await startRelay({ redisUrl: redis.url });
  });
  afterAll(async () => {
    for (const r of Object.values(relays)) await r.close();
    await redis?.stop();
  });
  return (backend) => {
    const relay = relays[backend];
    if (!relay) throw new Error(`no ${backend} relay: the suite has not started`);
    return relay;
  };
}
