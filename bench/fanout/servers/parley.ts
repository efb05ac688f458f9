/**
 * The server under test (a): the Parley relay as `main.node.ts` / `main.deno.ts` build it (`buildRelay`), with a
 * paced agent, in one of its shipped set-ups: coalesced or not, in-process or on Redis, in memory or on disk.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelay } from '../../../relay/bootstrap.ts';
import { DEFAULTS, type RelayConfig } from '../../../relay/config.ts';
import { MEMORY_ONLY } from '../../../relay/config-options.ts';
import type { Relay } from '../../../relay/core/relay.ts';
import type { Emit } from '../pacer.ts';
import { PacedAgent } from './bench-agent.ts';

export interface ServerUnderTest {
  port: number;
  emit: Emit;
  close(): Promise<void>;
}

export interface ParleySetup {
  /** The shipped default `--coalesce-ms`; otherwise 0, one frame per event. */
  coalesced: boolean;
  /** `--redis-url`: the shared backend instead of the in-process one. */
  redisUrl?: string;
  /** `--data-dir` in a fresh temp directory (the relay's own append-only log) instead of `none`. */
  onDisk?: boolean;
}

/** A relay listening on loopback under whichever runtime runs this process. */
async function listen(relay: Relay, config: RelayConfig): Promise<{ port: number; close(): Promise<void> }> {
  if ('Deno' in globalThis) {
    // Only Deno runs this branch, from the sources (the Deno adapter is outside the Node build).
    const adapter = '../../../relay/adapters/deno/serve.ts';
    const { serveDeno } = (await import(adapter)) as {
      serveDeno(relay: Relay, config: RelayConfig): { url: Promise<string>; shutdown(): Promise<void> };
    };
    const server = serveDeno(relay, config);
    const url = new URL(await server.url);
    return { port: Number(url.port), close: () => server.shutdown() };
  }
  const { serveNode } = await import('../../../relay/adapters/node/serve.ts');
  return serveNode(relay, config);
}

export async function startParley(onTurns: (running: number) => void, setup: ParleySetup): Promise<ServerUnderTest> {
  const agent = new PacedAgent(onTurns);
  const dataDir = setup.onDisk ? mkdtempSync(join(tmpdir(), 'parley-bench-fanout-')) : MEMORY_ONLY;
  // Default limits, except two that count per address: every bench client shares 127.0.0.1, where real ones
  // would come from many addresses. Logging is quieter (a line per connection would measure the terminal).
  const config: RelayConfig = {
    ...DEFAULTS,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'warn',
    maxConnectionsPerIp: 0,
    credentialRateLimit: 1_000_000,
    coalesceMs: setup.coalesced ? DEFAULTS.coalesceMs : 0,
    redisUrl: setup.redisUrl,
    dataDir,
  };
  const relay = await buildRelay(config, undefined, agent);
  if (typeof relay === 'string') throw new Error(relay);
  const server = await listen(relay, config);
  const ids: string[] = [];
  return {
    port: server.port,
    emit: (chat, text) => agent.push((ids[chat] ??= `c${chat}`), text),
    close: async () => {
      agent.close();
      await server.close();
      if (dataDir !== MEMORY_ONLY) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
