/** RedisConnection over the `redis` package (node-redis): one client for commands, one for pub/sub. */

import { createClient } from 'redis';
import type { Logger } from '../core/logger.ts';
import type { RedisConnection } from './connection.ts';

export async function connectRedis(url: string, logger: Logger): Promise<RedisConnection> {
  const options = {
    url,
    // Fail commands at once while Redis is down, so clients get a typed error instead of a hanging request.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000) },
  };
  const commands = createClient(options);
  const subscriber = createClient(options);
  const listeners: ((ready: boolean) => void)[] = [];
  let wasReady = false;
  const update = () => {
    const now = commands.isReady && subscriber.isReady;
    if (now === wasReady) return;
    wasReady = now;
    logger.info(now ? 'redis ready' : 'redis lost');
    for (const l of listeners) l(now);
  };
  for (const client of [commands, subscriber]) {
    client.on('ready', update);
    client.on('end', update);
    client.on('reconnecting', update);
    // node-redis reports every failed reconnect as an error event; the state change above is what matters.
    client.on('error', (err: Error) => logger.debug('redis error', { error: err.message }));
  }
  await Promise.all([commands.connect(), subscriber.connect()]);
  update();
  return {
    command: (args) => commands.sendCommand([...args]),
    subscribe: (channel, listener) => subscriber.subscribe(channel, (message: string) => listener(message)),
    unsubscribe: (channel) => subscriber.unsubscribe(channel),
    get ready() {
      return commands.isReady && subscriber.isReady;
    },
    onReady: (listener) => void listeners.push(listener),
    close: async () => {
      await Promise.allSettled([commands.close(), subscriber.close()]);
    },
  };
}
