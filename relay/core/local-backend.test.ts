/** The in-process backend forgets idle chats but never reuses their seqs within an epoch. */

import { describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { LocalBackend } from './local-backend.ts';
import { createLogger } from './logger.ts';

const agent: Agent = { info: () => ({ name: 'x', capabilities: [], online: true }), async *run() {} };

describe('LocalBackend.sweep', () => {
  it('forgets a chat nobody follows once its log has aged out, and continues its seq when it returns', async () => {
    let now = 0;
    const backend = new LocalBackend(
      {
        epoch: 'e',
        idempotencyWindow: 10,
        queue: { maxTurns: 100, maxBytes: 1 << 30 },
        replay: { maxEvents: 100, maxAgeMs: 1000, maxBytes: 1 << 30 },
      },
      { agent, logger: createLogger('silent'), now: () => now },
    );
    const room = backend.room('c');
    for (let i = 0; i < 5; i++) room.publish({ type: 'action_used', message_id: 'm', action_id: `a${i}` });
    expect(backend.sweep()).toBe(0);
    now = 5000;
    expect(backend.sweep()).toBe(1);
    expect(backend.chatCount()).toBe(0);
    const again = backend.room('c');
    expect(again.log.head).toBe(5);
    // A client that saw seq 3 must not be told it recovered: those events are gone.
    expect(again.log.replay(3, now).recovered).toBe(false);
    expect(again.publish({ type: 'action_used', message_id: 'm', action_id: 'z' }).seq).toBe(6);
    await backend.close();
  });
});
