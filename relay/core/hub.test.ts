/** The hub forgets idle chats but never reuses their seqs within an epoch. */

import { describe, expect, it } from 'vitest';
import type { Agent } from '../agents/agent.ts';
import { DEFAULTS } from '../config.ts';
import { Hub } from './hub.ts';
import { createLogger } from './logger.ts';

const agent: Agent = { info: () => ({ name: 'x', capabilities: [], online: true }), async *run() {} };

describe('Hub.sweep', () => {
  it('forgets a chat nobody follows once its log has aged out, and continues its seq when it returns', () => {
    let now = 0;
    const hub = new Hub({ ...DEFAULTS, replayMaxAgeSec: 1 }, 'e', agent, createLogger('silent'), () => now);
    const room = hub.room('c');
    for (let i = 0; i < 5; i++) room.publish({ type: 'action_used', message_id: 'm', action_id: `a${i}` });
    expect(hub.sweep()).toBe(0);
    now = 5000;
    expect(hub.sweep()).toBe(1);
    expect(hub.rooms.size).toBe(0);
    const again = hub.room('c');
    expect(again.log.head).toBe(5);
    // A client that saw seq 3 must not be told it recovered: those events are gone.
    expect(again.log.replay(3, now).recovered).toBe(false);
    expect(again.publish({ type: 'action_used', message_id: 'm', action_id: 'z' }).seq).toBe(6);
  });
});
