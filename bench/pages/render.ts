/**
 * Benchmark 3's page: one reply streamed as relay frames, one token per task at a fixed rate, into either
 * Parley's real client path (frame parser → ChatStore → <chat-view> → <chat-message> → <markdown-view>)
 * or the naive baseline (marked + DOMPurify over the whole text, innerHTML replaced on every token).
 * The Node side records a Chromium trace around `run()`; the page marks token 10% / 90% and the end.
 */

import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { ChatStore } from '../../client/state/chat-store.ts';
import type { ChatView } from '../../client/ui/chat/chat-view.ts';
import '../../client/ui/chat/chat-view.ts';
import { loadRenderer } from '../../client/ui/chat/markdown-view.ts';
import { isChatEvent, parseRelayFrame, type ChatEvent } from '../../shared/index.ts';
import { afterPaint, mark } from './after-paint.ts';
import { frameLocation } from '../../client/diagram/diagram-host.ts';
import { markdownSample, tokens } from './markdown-sample.ts';
import { naiveDiagrams, naiveMath } from './naive-rich.ts';
import { richSample, type Sample } from './rich-sample.ts';

// The bench site serves the built app under /app/ on the same origin: its diagram frame is the real one.
frameLocation.url = '../app/diagram-frame.html';

export interface RenderRun {
  /** Tokens in the reply, and how many were applied (fewer when the time cap stopped the run). */
  tokens: number;
  applied: number;
  /** Long tasks (≥ 50 ms) the page itself observed, in ms. */
  longTasks: number[];
}

/** Trace marks: `bench:t<i>` before token i for every multiple of MARK_EVERY, and `bench:end` after the last paint. */
export const MARK_EVERY = 100;

const CHAT = 'render-bench';
const EPOCH = 'bench';
const TURN = 't-bench';
const REPLY = 'm-reply';

/** The frames a relay sends for one turn: the user message, turn_start, one delta per token, turn_end. */
function turnFrames(parts: string[]): string[] {
  let seq = 0;
  const base = () => ({ chat_id: CHAT, epoch: EPOCH, seq: ++seq });
  const frames: ChatEvent[] = [
    { type: 'message', ...base(), message: { id: 'm-user', role: 'user', text: 'Write a long reply', created_at: 1 } },
    { type: 'turn_start', ...base(), turn_id: TURN, message_id: REPLY, reply_to: 'm-user', created_at: 1 },
    ...parts.map((text): ChatEvent => ({ type: 'delta', ...base(), turn_id: TURN, message_id: REPLY, text })),
    { type: 'turn_end', ...base(), turn_id: TURN, message_id: REPLY, status: 'done' },
  ];
  return frames.map((f) => JSON.stringify(f));
}

/** `apply` may return a promise (the naive diagram baseline awaits its draws): the next frame waits for it. */
type Sink = { apply(frame: string): void | Promise<void>; finish(): Promise<void> };

/** Parley's client path, wired the way <parley-app> wires it. */
function parleySink(stage: HTMLElement): Sink {
  const store = new ChatStore(null);
  const view = document.createElement('chat-view') as ChatView;
  view.chatId = CHAT;
  stage.append(view);
  const bind = () => {
    const chat = store.chat(CHAT);
    view.messages = chat.messages;
    view.pins = new Set(chat.pins);
    view.typing = chat.typing;
    view.loaded = chat.isLoaded;
  };
  store.addEventListener('change', bind);
  bind();
  return {
    apply(frame) {
      const parsed = parseRelayFrame(frame);
      if (parsed.ok && isChatEvent(parsed.value)) store.applyRelayEvent(parsed.value);
    },
    async finish() {
      // The last change reaches the view on the store's next frame; then every level finishes its update.
      await new Promise((resolve) => store.addEventListener('change', resolve, { once: true }));
      await view.updateComplete;
      const message = [...view.renderRoot.querySelectorAll('chat-message')].pop();
      await message?.updateComplete;
      const md = message?.shadowRoot?.querySelector('markdown-view');
      await md?.updateComplete;
      // Diagrams are drawn after their block finishes: the run ends when the last one is on screen.
      const drawing = () =>
        md?.shadowRoot?.querySelector('figure.diagram:is([data-state="waiting"], [data-state="drawing"])');
      while (drawing()) await new Promise((r) => requestAnimationFrame(r));
    },
  };
}

/** The naive baseline: whole text through marked and DOMPurify, innerHTML replaced, on every token (math and diagrams: naive-rich.ts). */
function naiveSink(stage: HTMLElement, sample: Sample): Sink {
  const marked = new Marked({ gfm: true, async: false });
  const el = document.createElement('div');
  el.className = 'naive';
  stage.append(el);
  const rich = sample === 'math' ? naiveMath(el) : sample === 'diagram' ? naiveDiagrams(el) : undefined;
  let text = '';
  return {
    apply(frame): void | Promise<void> {
      const parsed = parseRelayFrame(frame);
      if (!parsed.ok || parsed.value.type !== 'delta') return;
      text += parsed.value.text;
      if (rich) return rich.update(text);
      el.innerHTML = DOMPurify.sanitize(marked.parse(text) as string);
    },
    finish: async () => rich?.finish(),
  };
}

/**
 * Streams `chars` characters in `tokenSize`-character tokens at `perSecond` tokens/s (0: as fast as possible).
 * After `capMs` (0: never) no further tokens are applied, so a quadratic baseline cannot run for ever.
 */
async function run(
  mode: 'parley' | 'naive',
  chars: number,
  tokenSize: number,
  perSecond: number,
  capMs: number,
  sample: Sample = 'prose',
): Promise<RenderRun> {
  await loadRenderer(); // the app preloads it at boot; neither side should pay for it inside the measurement
  const stage = document.getElementById('stage');
  if (!stage) throw new Error('no #stage');
  const sink = mode === 'parley' ? parleySink(stage) : naiveSink(stage, sample);
  const text = sample === 'prose' ? markdownSample(chars) : richSample(sample, chars);
  const frames = turnFrames(tokens(text, tokenSize));
  const longTasks: number[] = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
    type: 'longtask',
  });
  await afterPaint();
  const first = 2; // frames[0..1] are the user message and turn_start; the deltas are tokens 0..n-1
  const count = frames.length - 3;
  let applied = 0;
  let t0 = 0;
  let stopped = false;
  const channel = new MessageChannel();
  const done = new Promise<void>((resolve) => {
    const handle = (i: number): void | Promise<void> => {
      const token = i - first;
      if (token === 0) t0 = performance.now();
      const capped = capMs > 0 && token > 0 && token < count && performance.now() - t0 > capMs;
      if (capped || stopped) {
        stopped = true;
        resolve();
        channel.port1.onmessage = null;
        return;
      }
      if (token >= 0 && token < count && token % MARK_EVERY === 0) mark(`bench:t${token}`);
      const applying = sink.apply(frames[i] ?? '');
      if (token >= 0 && token < count) applied++;
      if (i === frames.length - 1) void Promise.resolve(applying).then(resolve);
      return applying;
    };
    // A synchronous sink handles each frame in its own task, as it arrives; an asynchronous one, in order.
    const backlog: number[] = [];
    let draining = false;
    const drain = async () => {
      draining = true;
      for (let i = backlog.shift(); i !== undefined; i = backlog.shift()) await handle(i);
      draining = false;
    };
    channel.port1.onmessage = (e: MessageEvent<number>) => {
      if (draining) backlog.push(e.data);
      else {
        const applying = handle(e.data);
        if (applying) {
          draining = true;
          void applying.then(drain);
        }
      }
    };
  });
  // Each frame is its own task, as WebSocket messages are; a timer releases the ones that are due.
  let sent = 0;
  const started = performance.now();
  const pump = () => {
    const due =
      perSecond > 0
        ? Math.min(frames.length, Math.floor(((performance.now() - started) * perSecond) / 1000) + first)
        : frames.length;
    for (; sent < due; sent++) channel.port2.postMessage(sent);
    if (sent < frames.length && !stopped) setTimeout(pump, 0);
  };
  pump();
  await done;
  if (applied === count) await sink.finish();
  await afterPaint();
  mark('bench:end');
  channel.port1.close();
  return { tokens: count, applied, longTasks };
}

Object.assign(window, { __render: { run } });
