/** Starts the server under test of one set-up in its own process, pinned to the server core: Node runs the build, Deno the sources. */

import { fileURLToPath } from 'node:url';
import { Child } from '../lib/child.ts';
import { nowUs } from '../lib/clock.ts';
import { SERVER_CPU } from '../lib/cpus.ts';
import type { FromServer, Impl, ToServer } from './messages.ts';

const BUILT = fileURLToPath(new URL('./server-main.js', import.meta.url));
/** The repository (this file runs from build/bench/fanout/). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE = `${ROOT}bench/fanout/server-main.ts`;
export const DENO = `${ROOT}node_modules/.bin/deno`;

export type Server = Child<ToServer, FromServer>;

/**
 * `nodeFlags` are node's (`--expose-gc`, `--cpu-prof …`); under Deno only V8's own flags among them pass on
 * (`--v8-flags=`). `redisUrl` is for `parley-redis`.
 */
export function startServer(
  impl: Impl,
  chats: number,
  subscribers: number,
  nodeFlags: string[],
  redisUrl?: string,
): Server {
  const args = [impl, String(chats), String(subscribers), ...(redisUrl ? [redisUrl] : [])];
  if (impl !== 'parley-deno') return new Child(BUILT, args, nodeFlags, { cpu: SERVER_CPU });
  const v8 = nodeFlags.filter((f) => f === '--expose-gc' || f.startsWith('--max-old-space-size'));
  // -A: the same loopback, temp-dir and module reads as on Node (the relay's own tests narrow them).
  const runtime: [string, ...string[]] = [DENO, 'run', '-A', ...(v8.length ? [`--v8-flags=${v8.join(',')}`] : [])];
  const server: Server = new Child(SOURCE, args, [], { cpu: SERVER_CPU, runtime });
  server.on('clock', () => server.send({ type: 'clock', us: nowUs() }));
  return server;
}
