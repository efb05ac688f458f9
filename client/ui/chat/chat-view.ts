/** The message list of one chat: follows the stream unless the user scrolled up, renders long histories in growing windows. */

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LocalMessage, QueuedAnswer } from '../../state/types.ts';
import type { VersionPlace } from '../../state/versions.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';
import { chatViewStyles } from './chat-view-styles.ts';
import './chat-message.ts';
import './empty-state.ts';

const NO_ANSWERS: readonly QueuedAnswer[] = [];

/** Messages rendered when a chat opens, and added each time the reader nears the top. */
const WINDOW = 60;
/** The newest messages in a chat's first frame (a tall screenful); the rest of WINDOW follows once it has painted. */
const FIRST_FRAME = 20;
/** Within this many pixels of the bottom counts as "at the bottom" (following the stream). */
const FOLLOW_SLACK = 80;

/** A reply that has started but has nothing to show: no text, reasoning, tools, files, buttons, steps, data or requests. */
function isBlankReply(m: LocalMessage): boolean {
  return (
    m.role === 'assistant' &&
    m.state === 'streaming' &&
    !m.text &&
    !m.reasoning &&
    !m.tools?.length &&
    !m.attachments?.length &&
    !m.buttons?.length &&
    !m.steps?.length &&
    !m.agent_state &&
    !m.data?.length &&
    !m.sources?.length &&
    !m.requests?.length
  );
}

/**
 * Long histories: the newest FIRST_FRAME messages paint first, the rest of a WINDOW right after, and older
 * ones are added in steps as the reader scrolls up, so opening a 5,000-message chat costs 20 messages of work
 * before its first paint and 60 in all. Every rendered message also gets
 * `content-visibility: auto`, so off-screen ones cost no layout or paint. This keeps find-in-page, text
 * selection, the accessibility tree and scroll anchoring native, which a virtualizer that recycles nodes does
 * not, and it copes with messages whose height keeps changing while they stream.
 */
@customElement('chat-view')
export class ChatView extends LitElement {
  static override styles = [sharedStyles, chatViewStyles];

  @property() chatId = '';
  /** The branch shown: the chosen version of each group (ChatCache.branch). */
  @property({ attribute: false }) messages: LocalMessage[] = [];
  /** Where each message with other versions stands among them (ChatCache.versions). */
  @property({ attribute: false }) versions: ReadonlyMap<string, VersionPlace> = new Map();
  @property({ attribute: false }) pins = new Set<string>();
  @property({ type: Boolean }) typing = false;
  @property() notice = '';
  @property({ type: Boolean }) loaded = true;
  /** Answers to the agent's requests waiting in the outbox. */
  @property({ attribute: false }) queuedAnswers: readonly QueuedAnswer[] = [];
  @state() private windowSize = FIRST_FRAME;
  @state() private atBottom = true;
  @query('.scroller') private scroller!: HTMLElement;
  private observer: IntersectionObserver | undefined;
  private observerRoot: Element | undefined;
  /** Where this view last scrolled itself to while following; a different position means the reader moved. */
  private followedTop = -1;
  /**
   * Streaming markdown grows after Lit's update (in its own frame), and content-visibility resizes messages as
   * they come into view; follow the growth only if the reader has not scrolled since we last did.
   */
  private readonly resize = new ResizeObserver(() => {
    const el = this.scroller;
    if (!el || !this.atBottom) return;
    if (this.followedTop >= 0 && Math.abs(el.scrollTop - this.followedTop) > 2) this._onScroll();
    else this.follow();
  });
  private resizeTarget: Element | undefined;
  private anchor: { height: number; top: number } | undefined;
  private filling = false;

  /** A new chat: the welcome and demo commands, read from the top. */
  private get empty(): boolean {
    return this.loaded && this.messages.length === 0 && !this.typing;
  }

  /** The queued answers for one message: the same empty list for all the others (no re-render for them). */
  private queuedFor(m: LocalMessage): readonly QueuedAnswer[] {
    if (!m.requests || !this.queuedAnswers.some((q) => q.messageId === m.id)) return NO_ANSWERS;
    return this.queuedAnswers.filter((q) => q.messageId === m.id);
  }

  override render() {
    if (this.empty) {
      return html`<div class="scroller">
        <div class="list">
          ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
          <empty-state></empty-state>
        </div>
      </div>`;
    }
    const start = Math.max(0, this.messages.length - this.windowSize);
    const last = this.messages[this.messages.length - 1];
    // While the agent says it is typing, its dots stand for a reply that has nothing to show yet.
    const shown = this.messages.slice(start, this.typing && last && isBlankReply(last) ? -1 : undefined);
    const regenerable =
      last?.role === 'assistant' && last.state !== 'streaming' && this.messages.some((m) => m.role === 'user')
        ? last.id
        : '';
    return html`<div class="scroller" @scroll=${this._onScroll}>
        <div class="list" role="log" aria-label="Messages" aria-live="off">
          ${start > 0 ? html`<div class="earlier" id="earlier">Loading ${start} earlier messages…</div>` : nothing}
          ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
          ${repeat(
            shown,
            (m) => m.id,
            (m) =>
              html`<chat-message
                .message=${m}
                ?pinned=${this.pins.has(m.id)}
                ?regenerable=${m.id === regenerable}
                .version=${this.versions.get(m.id)}
                .queued=${this.queuedFor(m)}
              ></chat-message>`,
          )}
          ${
            this.typing
              ? html`<div class="typing" role="status" aria-label="The agent is typing">
                  <span></span><span></span><span></span>
                </div>`
              : nothing
          }
        </div>
      </div>
      ${
        this.atBottom
          ? nothing
          : html`<button class="jump" @click=${() => this.scrollToLatest('smooth')}>
              ${icon('down')} Jump to latest
            </button>`
      }`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('chatId')) {
      this.windowSize = FIRST_FRAME;
      this.atBottom = true;
    }
    const el = this.scroller;
    if (el && changed.has('windowSize')) this.anchor = { height: el.scrollHeight, top: el.scrollTop };
  }

  protected override updated(changed: PropertyValues): void {
    const el = this.scroller;
    if (!el) return;
    if (this.anchor) {
      // Older messages were added above: keep what the reader was looking at in place.
      el.scrollTop = this.anchor.top + (el.scrollHeight - this.anchor.height);
      this.anchor = undefined;
    } else if (this.empty && changed.has('chatId')) {
      el.scrollTop = 0;
    } else if (changed.has('chatId') || (this.atBottom && this.grew(changed))) {
      this.follow();
    }
    this.fillWindowAfterPaint();
    this.observeEarlier();
    const list = this.renderRoot.querySelector('.list') ?? undefined;
    if (list !== this.resizeTarget) {
      this.resize.disconnect();
      if (list) this.resize.observe(list);
      this.resizeTarget = list;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.resize.disconnect();
    this.resizeTarget = undefined;
  }

  /** Scrolls to the newest message and resumes following the stream. */
  scrollToLatest(behavior: ScrollBehavior = 'auto'): void {
    const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.scroller?.scrollTo({ top: this.scroller.scrollHeight, behavior: reduce ? 'auto' : behavior });
    this.followedTop = -1;
    this.atBottom = true;
  }

  /** Once a chat's first frame has painted, renders the rest of its first window (older messages, above). */
  private fillWindowAfterPaint(): void {
    if (this.filling || this.windowSize >= WINDOW || this.messages.length <= this.windowSize) return;
    this.filling = true;
    const chatId = this.chatId;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.filling = false;
        if (this.chatId === chatId && this.windowSize < WINDOW) this.windowSize = WINDOW;
        else this.fillWindowAfterPaint();
      }, 0),
    );
  }

  /** Scrolls a message into view (rendering older ones if needed), marks it briefly and focuses it. */
  async reveal(id: string): Promise<boolean> {
    const index = this.messages.findIndex((m) => m.id === id);
    if (index < 0) return false;
    const needed = this.messages.length - index;
    if (needed > this.windowSize) this.windowSize = Math.ceil(needed / WINDOW) * WINDOW;
    await this.updateComplete;
    const el = [...this.renderRoot.querySelectorAll('chat-message')].find((c) => c.message.id === id);
    if (!el) return false;
    this.atBottom = false;
    el.scrollIntoView({ block: 'center' });
    this._onScroll();
    el.classList.remove('flash');
    void el.offsetWidth;
    el.classList.add('flash');
    el.tabIndex = -1;
    el.focus({ preventScroll: true });
    return true;
  }

  /**
   * A message came or went. A streaming reply growing in place is followed by the ResizeObserver instead, after
   * layout, where reading scrollHeight costs nothing: read here, it forced a layout of the whole list per update.
   */
  private grew(changed: PropertyValues): boolean {
    const before: unknown = changed.get('messages');
    return Array.isArray(before) && before.length !== this.messages.length;
  }

  private follow(): void {
    const el = this.scroller;
    // A new chat's welcome is taller than a phone screen; it is read from the top, not followed.
    if (this.empty) return;
    el.scrollTop = el.scrollHeight;
    this.followedTop = el.scrollTop;
  }

  private observeEarlier(): void {
    if (this.observerRoot !== this.scroller) {
      this.observer?.disconnect();
      this.observer = undefined;
      this.observerRoot = this.scroller;
    }
    this.observer ??= new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && this.windowSize < this.messages.length) this.windowSize += WINDOW;
      },
      { root: this.scroller, rootMargin: '600px 0px 0px 0px' },
    );
    this.observer.disconnect();
    const earlier = this.renderRoot.querySelector('#earlier');
    if (earlier) this.observer.observe(earlier);
  }

  private _onScroll(): void {
    const el = this.scroller;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK;
    if (atBottom) this.followedTop = el.scrollTop;
    if (atBottom !== this.atBottom) this.atBottom = atBottom;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-view': ChatView;
  }
}
