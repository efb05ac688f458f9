/** The few Redis operations the shared backend needs, so it does not depend on one client library. */

export interface RedisConnection {
  /** Runs one command; rejects at once while Redis is unreachable (no offline queue). */
  command(args: readonly string[]): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** True while both the command and the subscriber connections are up. */
  readonly ready: boolean;
  /** Called with `true` when Redis becomes reachable again, `false` when it is lost. */
  onReady(listener: (ready: boolean) => void): void;
  close(): Promise<void>;
}
