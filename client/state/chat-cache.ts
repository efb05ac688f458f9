/** One chat held in memory: its messages in display order, where it stands in the relay stream, what runs in it now. */

import type { ChatEvent, ChatMessage } from '../../shared/index.ts';
import {
  applyEvent,
  applyUnreadable,
  endLocally,
  fromChatMessage,
  type Applied,
  type ChatLive,
} from './apply-event.ts';
import { rememberAttachment } from './attachment-urls.ts';
import type { LocalData } from './local-data.ts';
import { compareMessages } from './message-order.ts';
import { branchOf, choicesToShow, versionPlaces, type VersionPlace } from './versions.ts';
import type { LocalMessage, StoredAttachment } from './types.ts';
import type { UnreadableEvent } from './unreadable.ts';

/** What a chat applies: a relay event, or one the parser refused (which still takes its place in the stream). */
export type CacheEvent = ChatEvent | UnreadableEvent;

const PERSIST_DELAY_MS = 400;
/** Messages read ahead of the whole history when a chat opens: a chat view's full first window. */
const FIRST_PAGE = 60;

/** Resolves after the next frame is painted (or soon, in a hidden tab that paints none). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/** The stored messages an event changes, when applying it needs their current state. */
function storedTargets(event: CacheEvent): string[] {
  // A turn_start begins a reply no copy has yet (its id is new); whole messages and withdrawals need no old state.
  if (
    event.type === 'message' ||
    event.type === 'typing' ||
    event.type === 'retract' ||
    event.type === 'regenerate' ||
    event.type === 'turn_start'
  )
    return [];
  if (event.type === 'workspace') return [];
  // An import adds only what the chat lacks: whether it holds each message is in the store.
  if (event.type === 'imported') return event.messages.map((m) => m.id);
  return event.message_id === undefined ? [] : [event.message_id];
}

export interface CacheDeps {
  data: LocalData;
  onError(err: unknown): void;
  onApplied(cache: ChatCache, applied: Applied): void;
  /** Live events skipped a seq: frames were lost, and the chat must be subscribed again. */
  onGap(cache: ChatCache): void;
  /** The newest page was read and can be shown before the rest. */
  onFirstPage(cache: ChatCache): void;
}

/**
 * A chat is followed without its history in memory: an event that needs a stored message reads just that
 * message. Opening the chat (`open`) reads the whole history once; events arriving meanwhile wait their turn.
 */
export class ChatCache {
  private readonly live: ChatLive = { messages: new Map(), typing: false };
  private pinIds: ReadonlySet<string> = new Set();
  /** Where this chat stands in the relay's event stream. */
  cursor: { epoch: string; seq: number } | undefined;
  /** A sentence shown above the messages, e.g. when the relay could not replay everything. */
  notice = '';
  /** The relay's newest seq when this chat was last subscribed: events up to it are a replay (with gaps from compaction). */
  replayHead = 0;
  /** Set when live events skipped a seq; cleared by the next subscribe, whose replay fills the gap. */
  gap = false;
  private sorted: LocalMessage[] | undefined;
  /** A fresh array per change, so views see a new value; copied at most once per read. */
  private snapshot: LocalMessage[] | undefined;
  /** The version shown of each group the reader switched (group id → version id). */
  private choices: ReadonlyMap<string, string> = new Map();
  private branchFor:
    | {
        all: LocalMessage[];
        choices: ReadonlyMap<string, string>;
        branch: LocalMessage[];
        places: Map<string, VersionPlace> | undefined;
      }
    | undefined;
  private loading: Promise<void> | undefined;
  private loaded = false;
  /** Events waiting for a stored message (or the whole history) to be read; applied in order. */
  private backlog: CacheEvent[] = [];
  /** The newest stored messages, shown until the whole history is loaded. */
  private firstPage: LocalMessage[] = [];

  constructor(
    readonly chatId: string,
    private readonly deps: CacheDeps,
    cursor?: { epoch: string; seq: number },
  ) {
    this.cursor = cursor;
  }

  /**
   * Reads the stored history and pins once. A long history shows its newest page first (`shown`), and is
   * read whole only after that page has painted.
   */
  open(): Promise<void> {
    this.loading ??= (async () => {
      const { data } = this.deps;
      if (data.available) {
        try {
          // The first page only speeds up the first paint; if it fails, the whole read below still decides.
          if (await this.readFirstPage().catch(() => false)) await afterPaint();
          const [messages, pins] = await Promise.all([data.loadMessages(this.chatId), data.listPins(this.chatId)]);
          for (const m of messages)
            if (!this.live.messages.has(m.id)) this.live.messages.set(m.id, this.lostIfStale(m));
          this.pinIds = new Set(pins.map((p) => p.message_id));
        } catch (err) {
          this.deps.onError(err);
        }
      }
      this.loaded = true;
      this.firstPage = [];
      this.sorted = this.snapshot = undefined;
    })();
    return this.loading;
  }

  /** Reads the newest page for display; true when the history is longer than that page. */
  private async readFirstPage(): Promise<boolean> {
    const { data } = this.deps;
    const [page, pins] = await Promise.all([
      data.loadLatestMessages(this.chatId, FIRST_PAGE),
      data.listPins(this.chatId),
    ]);
    if (this.loaded) return false;
    this.firstPage = page.map((m) => this.lostIfStale(m)).sort(compareMessages);
    this.pinIds = new Set(pins.map((p) => p.message_id));
    if (this.firstPage.length) this.deps.onFirstPage(this);
    return page.length >= FIRST_PAGE;
  }

  /** A reply stored as streaming in a relay epoch this device has since left can never finish: say so. */
  private lostIfStale(m: LocalMessage): LocalMessage {
    const at = this.cursor;
    if (m.state !== 'streaming' || !at || m.epoch === undefined || m.epoch === at.epoch) return m;
    return { ...m, state: 'error', error: 'This reply was cut off when the relay restarted.', interrupted: true };
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Nothing runs or waits here: the chat may leave memory (its cursor and stored messages stay). */
  get isIdle(): boolean {
    return this.live.turn === undefined && this.backlog.length === 0 && (this.loaded || this.loading === undefined);
  }

  get turn(): { turn_id: string; message_id: string } | undefined {
    return this.live.turn;
  }

  get typing(): boolean {
    return this.live.typing;
  }

  get pins(): ReadonlySet<string> {
    return this.pinIds;
  }

  setPins(ids: Iterable<string>): void {
    this.pinIds = new Set(ids);
  }

  /** A message held in memory (every stored one once the chat is open). */
  get(id: string): LocalMessage | undefined {
    return this.live.messages.get(id);
  }

  /** What a view shows: all messages once loaded; before that the newest stored page and anything added since. */
  get shown(): LocalMessage[] {
    if (this.loaded || !this.firstPage.length) return this.messages;
    if (!this.live.messages.size) return this.firstPage;
    const ids = new Set(this.live.messages.keys());
    return [...this.firstPage.filter((m) => !ids.has(m.id)), ...this.live.messages.values()].sort(compareMessages);
  }

  /**
   * What the chat shows: `shown` without the versions not chosen and what hangs under them (versions.ts). The same
   * array until the messages or a choice change, so a view can compare it.
   */
  get branch(): LocalMessage[] {
    const all = this.shown;
    if (this.branchFor?.all !== all || this.branchFor.choices !== this.choices) {
      this.branchFor = { all, choices: this.choices, branch: branchOf(all, this.choices), places: undefined };
    }
    return this.branchFor.branch;
  }

  /** Where each message with other versions stands among them, for the switcher (‹ 2 / 3 ›). */
  get versions(): ReadonlyMap<string, VersionPlace> {
    void this.branch;
    const view = this.branchFor as NonNullable<typeof this.branchFor>;
    view.places ??= versionPlaces(view.all);
    return view.places;
  }

  /** Shows version `id` of its group on this device (until the tab closes); other devices keep their own choice. */
  chooseVersion(group: string, id: string): void {
    this.choose(new Map([[group, id]]));
  }

  /** Makes message `id` part of the branch shown (a jump to a pinned message, a search hit, on another version). */
  showMessage(id: string): void {
    this.choose(choicesToShow(this.shown, id));
  }

  private choose(choices: ReadonlyMap<string, string>): void {
    if (choices.size) this.choices = new Map([...this.choices, ...choices]);
  }

  /** Messages in memory oldest first (sorted lazily, cached until a message is added or removed). */
  get messages(): LocalMessage[] {
    this.sorted ??= [...this.live.messages.values()].sort(compareMessages);
    this.snapshot ??= this.sorted.slice();
    return this.snapshot;
  }

  /** Applies a relay event unless this chat already saw it (same epoch, seq not newer). */
  apply(event: CacheEvent): void {
    if (this.backlog.length === 0 && this.canApply(event)) return this.applyNow(event);
    this.backlog.push(event);
    if (this.backlog.length === 1) void this.drain();
  }

  private canApply(event: CacheEvent): boolean {
    if (this.loaded) return true;
    if (this.loading) return false;
    return storedTargets(event).every((id) => this.live.messages.has(id));
  }

  private async drain(): Promise<void> {
    while (this.backlog.length > 0) {
      const event = this.backlog[0];
      if (!event) break;
      if (this.loading && !this.loaded) await this.loading;
      else if (!this.canApply(event)) await this.readTarget(event);
      this.backlog.shift();
      this.applyNow(event);
    }
  }

  private async readTarget(event: CacheEvent): Promise<void> {
    try {
      for (const id of storedTargets(event).filter((t) => !this.live.messages.has(t))) {
        const stored = await this.deps.data.getMessage(this.chatId, id);
        if (stored && !this.live.messages.has(id)) this.live.messages.set(id, this.lostIfStale(stored));
      }
    } catch (err) {
      this.deps.onError(err);
    }
  }

  private applyNow(event: CacheEvent): void {
    const cursor = this.cursor;
    if (cursor && cursor.epoch === event.epoch) {
      if (event.seq <= cursor.seq) return;
      // Live events (after the replay) come without holes; a hole means frames were lost: resubscribe.
      if (event.seq > this.replayHead && event.seq > Math.max(cursor.seq, this.replayHead) + 1) {
        if (!this.gap) {
          this.gap = true;
          this.deps.onGap(this);
        }
        return;
      }
    }
    this.cursor = { epoch: event.epoch, seq: event.seq };
    const applied = event.type === 'unreadable' ? applyUnreadable(this.live, event) : applyEvent(this.live, event);
    for (const m of applied.changed) this.replace(m);
    if (applied.removed.length) this.sorted = this.snapshot = undefined;
    for (const b of applied.blobs) rememberAttachment(b.id, b.blob);
    const whole = event.type === 'message' || event.type === 'turn_end' || event.type === 'retract';
    this.deps.data.stage(
      {
        messages: applied.changed,
        removed: applied.removed.map((id): [string, string] => [this.chatId, id]),
        attachments: applied.blobs,
        resume: { chat_id: this.chatId, ...this.cursor },
      },
      whole ? 0 : PERSIST_DELAY_MS,
    );
    this.deps.onApplied(this, applied);
  }

  /**
   * Puts a message from this client (a pending send, a failure, a reply marked cut off); `save` false when the
   * caller writes it. A change to a message the relay delivered (it has a seq) only updates the stored copy:
   * another tab may have deleted it meanwhile, and it must not come back.
   */
  upsertLocal(message: LocalMessage, save = true): void {
    this.live.messages.set(message.id, message);
    this.replace(message);
    if (!save) return;
    this.deps.data.stage(message.seq === undefined ? { messages: [message] } : { updates: [message] });
  }

  /** Another tab wrote these messages: take the ones that are news here (the relay's copy wins over a local one). */
  merge(messages: LocalMessage[]): void {
    for (const m of messages) {
      const mine = this.live.messages.get(m.id);
      if (!mine || (mine.seq === undefined && mine.state !== m.state && m.state !== 'pending'))
        this.upsertLocal(m, false);
    }
  }

  /** Adds whole messages from the agent's history that this chat lacks; returns how many were new. */
  addHistory(messages: ChatMessage[]): number {
    const fresh: LocalMessage[] = [];
    const blobs: StoredAttachment[] = [];
    for (const m of messages) {
      if (this.live.messages.has(m.id)) continue;
      const local = fromChatMessage(this.chatId, m, blobs);
      this.live.messages.set(local.id, local);
      fresh.push(local);
    }
    for (const b of blobs) rememberAttachment(b.id, b.blob);
    if (fresh.length) {
      this.sorted = this.snapshot = undefined;
      this.deps.data.stage({ messages: fresh, attachments: blobs });
    }
    return fresh.length;
  }

  /** Ends replies that were streaming when the relay lost their turn; they stay, marked as cut off. */
  interrupt(reason: string): void {
    this.endStreaming(reason, true);
  }

  /**
   * Ends replies the relay says it stopped but could not yet end in its history (its disk is full): the relay's own
   * `turn_end` follows once it can write again, and replaces this.
   */
  endStreaming(reason: string, interrupted = false): void {
    for (const m of this.live.messages.values()) {
      if (m.state !== 'streaming') continue;
      const ended = endLocally(m, reason);
      this.upsertLocal(interrupted ? { ...ended, interrupted } : ended);
    }
    this.live.turn = undefined;
    this.live.typing = false;
  }

  /** Drops a message from memory (the data layer deletes the stored copy). */
  remove(id: string): void {
    this.live.messages.delete(id);
    this.pinIds = new Set([...this.pinIds].filter((p) => p !== id));
    this.sorted = this.snapshot = undefined;
  }

  private replace(message: LocalMessage): void {
    this.snapshot = undefined;
    const list = this.sorted;
    if (!list) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]?.id === message.id) {
        if (list[i]?.created_at === message.created_at && list[i]?.role === message.role) list[i] = message;
        else this.sorted = undefined;
        return;
      }
    }
    const last = list[list.length - 1];
    if (!last || compareMessages(last, message) < 0) list.push(message);
    else this.sorted = undefined;
  }
}
