/** What an AG-UI agent told Parley about each thread: its last state (sent back on the next run) and messages. */

import type { Message, ResumeEntry } from '@ag-ui/core';

export interface ThreadMemory {
  /** The agent's state after its last run (STATE_SNAPSHOT, then STATE_DELTAs), sent back as `state`. */
  state: unknown;
  /** The agent's last MESSAGES_SNAPSHOT: its own history of the thread, which serves `history` requests. */
  messages: Message[] | undefined;
  /** Interrupts answered without asking (a tool the user allowed always): sent with the next run's answer. */
  resume: ResumeEntry[];
}

/** Threads remembered at most: the oldest used is forgotten first (its next run starts from no state). */
const MAX_THREADS = 1000;

export class ThreadMemories {
  private readonly threads = new Map<string, ThreadMemory>();

  /** The thread's memory, created empty on first use, and marked the most recently used. */
  get(threadId: string): ThreadMemory {
    const known = this.threads.get(threadId);
    const memory = known ?? { state: undefined, messages: undefined, resume: [] };
    this.threads.delete(threadId);
    this.threads.set(threadId, memory);
    for (const oldest of this.threads.keys()) {
      if (this.threads.size <= MAX_THREADS) break;
      this.threads.delete(oldest);
    }
    return memory;
  }

  peek(threadId: string): ThreadMemory | undefined {
    return this.threads.get(threadId);
  }
}
