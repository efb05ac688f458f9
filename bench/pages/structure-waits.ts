/**
 * The structure probe's waits: on the wire (acks, turn ends, subscribe answers), on the DOM (the message
 * settled, the reply finished, a marker shown) and on IndexedDB, BroadcastChannel and sends going quiet.
 * Polled every 20 ms with a deadline: each wait ends on state, never after a fixed time.
 */

import type { Counts, Subscriptions } from './structure-counts.ts';

export interface ProbeState {
  tally: { total: Counts; window: Counts };
  activity: { openTx: number; at: number };
  wire: { sendIds: string[]; acked: Set<string>; turnEnds: number };
  connect: {
    sockets: number;
    openAt: number;
    messageRecordsAtOpen: number;
    subscribes: number;
    lastSubscribeAt: number;
    messageRecordsAtLastSubscribe: number;
    answered: number;
    lastAnswerAt: number;
  };
  resetWindow(): void;
}

const POLL_MS = 20;

function until(ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (ready()) return resolve();
      if (performance.now() - start > timeoutMs)
        return reject(new Error(`structure probe: timed out waiting for ${what}`));
      setTimeout(check, POLL_MS);
    };
    check();
  });
}

/** Every element matching `selector`, through open shadow roots, in document order per root. */
function deepAll(selector: string, root: Document | ShadowRoot = document): Element[] {
  const out = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...deepAll(selector, el.shadowRoot));
  return out;
}

/** Text as a reader sees it, through shadow roots. */
function deepText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  const kids = node instanceof Element && node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
  let out = '';
  for (const kid of kids) out += deepText(kid);
  return out;
}

function newestMessage(): Element | undefined {
  const all = deepAll('chat-message');
  return all[all.length - 1];
}

/** The user's message is on screen and no longer marked as waiting to be sent. */
function userSettled(text: string): boolean {
  const mine = deepAll('chat-message').filter((m) => deepText(m).includes(text));
  return mine.length > 0 && mine.every((m) => !/Queued/.test(deepText(m)));
}

/** The newest message is a finished reply: the view offers to regenerate it. */
function replyFinished(): boolean {
  const last = newestMessage();
  return last !== undefined && deepAll('button[aria-label="Regenerate reply"]', last.shadowRoot ?? document).length > 0;
}

export function exposeWaits(state: ProbeState): void {
  const { tally, activity, wire, connect } = state;
  /** No transaction open and nothing counted for `ms`. */
  const quiet = (ms: number) =>
    until(() => activity.openTx === 0 && performance.now() - activity.at >= ms, `${ms} ms of quiet`);
  const snapshot = (): Counts => structuredClone(tally.window);

  Object.assign(window, {
    __structure: {
      reset: () => state.resetWindow(),
      /** Starts the window at the next Enter in any field (capture phase: before the app handles it). */
      armEnter: () => {
        const onKey = (e: KeyboardEvent) => {
          if (e.key !== 'Enter' || e.shiftKey) return;
          state.resetWindow();
          removeEventListener('keydown', onKey, true);
        };
        addEventListener('keydown', onKey, true);
      },
      quiet,
      counts: snapshot,
      total: (): Counts => structuredClone(tally.total),
      /** The ack for the message sent in this window has arrived and the message shows as sent. */
      sent: async (text: string, quietMs: number): Promise<Counts> => {
        await until(() => wire.sendIds.length > 0 && wire.sendIds.every((id) => wire.acked.has(id)), 'the ack');
        await until(() => userSettled(text), 'the message to show as sent');
        await quiet(quietMs);
        return snapshot();
      },
      /** A turn ended in this window and the newest message shows a finished reply. */
      replied: async (quietMs: number): Promise<Counts> => {
        await until(() => wire.turnEnds > 0 && replyFinished(), 'the reply to finish');
        await quiet(quietMs);
        return snapshot();
      },
      /** The newest message on screen contains `marker`. */
      shows: (marker: string, timeoutMs = 120_000) =>
        until(() => deepText(newestMessage() ?? document.createElement('i')).includes(marker), marker, timeoutMs),
      /**
       * Subscribe frames after the socket opened: done when `expected` went out and each was answered; if fewer
       * go out, when none has for `quietMs`.
       */
      subscriptions: async (expected: number, quietMs: number): Promise<Subscriptions> => {
        await until(() => connect.subscribes > 0, 'the first subscribe', 180_000);
        let complete = false;
        await until(
          () => {
            complete = connect.subscribes >= expected && connect.answered >= connect.subscribes;
            return complete || performance.now() - connect.lastSubscribeAt >= quietMs;
          },
          'the subscriptions',
          600_000,
        );
        return { ...connect, complete };
      },
    },
  });
}
