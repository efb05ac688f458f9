/** Re-renders its host when a deadline passes (a request's `expires_at`), so "expired" shows without a reload. */

import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Timers longer than this are clamped by browsers (2^31 - 1 ms); a later deadline is re-armed when it fires. */
const MAX_DELAY = 2_147_483_647;

export class DeadlineController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armed: number | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Watches `at` (ms since the epoch; undefined: nothing to watch). Cheap to call on every render. */
  watch(at: number | undefined): void {
    if (at === this.armed) return;
    this.clear();
    this.armed = at;
    if (at === undefined) return;
    const delay = at - Date.now();
    if (delay <= 0) return;
    this.timer = setTimeout(
      () => {
        this.armed = undefined;
        this.host.requestUpdate();
      },
      Math.min(delay + 50, MAX_DELAY),
    );
  }

  hostDisconnected(): void {
    this.clear();
    this.armed = undefined;
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
