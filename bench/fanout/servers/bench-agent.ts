/** An agent whose turns never end on their own: each chat's turn yields the deltas the pacer hands it. */

import type { AgentEvent, AgentInfo, TurnRequest } from '../../../shared/index.ts';
import type { Agent } from '../../../relay/core/agent.ts';

/** One chat's pending delta texts and the turn waiting for them. */
interface Channel {
  queue: string[];
  wake: (() => void) | undefined;
}

export class PacedAgent implements Agent {
  private readonly channels = new Map<string, Channel>();
  private running = 0;
  private closed = false;

  constructor(private readonly onTurn: (running: number) => void) {}

  info(): AgentInfo {
    return { name: 'bench', capabilities: ['markdown', 'stop'], online: true };
  }

  /** Queues a delta for the chat's running turn (dropped if no turn runs there yet). */
  push(chatId: string, text: string): void {
    const channel = this.channels.get(chatId);
    if (!channel) return;
    channel.queue.push(text);
    const wake = channel.wake;
    channel.wake = undefined;
    wake?.();
  }

  close(): void {
    this.closed = true;
    for (const channel of this.channels.values()) channel.wake?.();
  }

  async *run(turn: TurnRequest, signal: AbortSignal): AsyncIterable<AgentEvent> {
    const channel: Channel = { queue: [], wake: undefined };
    this.channels.set(turn.chat_id, channel);
    this.onTurn(++this.running);
    try {
      while (!signal.aborted && !this.closed) {
        const text = channel.queue.shift();
        if (text !== undefined) {
          yield { type: 'delta', text };
          continue;
        }
        await new Promise<void>((resolve) => (channel.wake = resolve));
      }
    } finally {
      this.channels.delete(turn.chat_id);
      this.running--;
    }
  }
}
