/** One connection's outgoing frames, in order: written while the socket keeps up, held while it drains. */

import type { ChatEvent } from '../../shared/index.ts';
import type { RelaySocket } from './socket.ts';

/** How often a backlogged queue looks at the socket again (the core sees no drain event). */
const DRAIN_POLL_MS = 5;

export interface SendQueueOptions {
  /** `--max-buffered-bytes`: a backlog over this when a frame is offered marks a slow consumer. */
  maxBufferedBytes: number;
  /** Called once, with the backlog, when the consumer is too slow; the frame offered is dropped. */
  onSlow(backlog: number): void;
}

/** A frame serialized on arrival, or a replay serialized one frame at a time as the socket drains. */
type Item = { kind: 'data'; data: string } | { kind: 'replay'; events: readonly ChatEvent[]; next: number };

export class SendQueue {
  private readonly items: Item[] = [];
  /** Bytes of the serialized frames held here (not the replays, whose events the chat log holds anyway). */
  private heldBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Below this many buffered bytes the socket takes the next frame; above it the queue waits. */
  private readonly lowWater: number;

  constructor(
    private readonly socket: RelaySocket,
    private readonly options: SendQueueOptions,
  ) {
    this.lowWater = Math.min(1024 * 1024, Math.floor(options.maxBufferedBytes / 4));
  }

  /** Bytes waiting: in the socket's buffer and in this queue. */
  get backlog(): number {
    return this.socket.bufferedAmount + this.heldBytes;
  }

  /**
   * Offers one serialized frame. The slow-consumer rule judges what was already waiting, not this frame,
   * so a frame up to the largest the relay emits always gets through to a reader that keeps up.
   */
  push(data: string): void {
    if (this.stopped) return;
    const backlog = this.backlog;
    if (backlog > this.options.maxBufferedBytes) {
      this.stop();
      this.options.onSlow(backlog);
      return;
    }
    if (this.items.length === 0 && this.socket.bufferedAmount < this.lowWater) return this.socket.send(data);
    this.items.push({ kind: 'data', data });
    this.heldBytes += data.length;
    this.schedule();
  }

  /** Queues a replay; its frames go out as the socket drains, and everything offered later waits behind them. */
  pushReplay(events: readonly ChatEvent[]): void {
    if (this.stopped || events.length === 0) return;
    this.items.push({ kind: 'replay', events, next: 0 });
    this.pump();
  }

  /** Drops whatever is still held; nothing is sent afterwards. */
  stop(): void {
    this.stopped = true;
    this.items.length = 0;
    this.heldBytes = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    this.timer = undefined;
    while (!this.stopped && this.socket.isOpen && this.socket.bufferedAmount < this.lowWater) {
      const item = this.items[0];
      if (!item) return;
      if (item.kind === 'data') {
        this.items.shift();
        this.heldBytes -= item.data.length;
        this.socket.send(item.data);
        continue;
      }
      const event = item.events[item.next++];
      if (item.next >= item.events.length) this.items.shift();
      if (event) this.socket.send(JSON.stringify(event));
    }
    if (!this.stopped && this.socket.isOpen && this.items.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.pump(), DRAIN_POLL_MS);
    // A queue waiting on a stalled reader must not keep the process alive (Deno's timers are numbers).
    if (typeof this.timer === 'object' && 'unref' in this.timer) this.timer.unref();
  }
}
