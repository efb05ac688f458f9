/** The server under test (a): the Parley relay, core and Node adapter as shipped, with a paced agent. */

import { serveNode } from '../../../relay/adapters/node/serve.ts';
import { DEFAULTS } from '../../../relay/config.ts';
import { assembleRelay } from '../../../relay/assemble.ts';
import type { Emit } from '../pacer.ts';
import { PacedAgent } from './bench-agent.ts';

export interface ServerUnderTest {
  port: number;
  emit: Emit;
  close(): Promise<void>;
}

/** `coalesced`: the shipped default `--coalesce-ms`; otherwise 0, one frame per event. */
export async function startParley(onTurns: (running: number) => void, coalesced: boolean): Promise<ServerUnderTest> {
  const agent = new PacedAgent(onTurns);
  // Default limits, except two that count per address: every bench client shares 127.0.0.1, where real ones
  // would come from many addresses. Logging is quieter (a line per connection would measure the terminal).
  const config = {
    ...DEFAULTS,
    port: 0,
    logLevel: 'warn' as const,
    maxConnectionsPerIp: 0,
    credentialRateLimit: 1_000_000,
    coalesceMs: coalesced ? DEFAULTS.coalesceMs : 0,
  };
  const relay = assembleRelay(config, agent);
  const server = await serveNode(relay, config);
  const ids: string[] = [];
  return {
    port: server.port,
    emit: (chat, text) => agent.push((ids[chat] ??= `c${chat}`), text),
    close: () => server.close(),
  };
}
