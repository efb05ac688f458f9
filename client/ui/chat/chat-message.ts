/** One message: who wrote it, its text (markdown for the agent), reasoning, tools, files, buttons, state and actions. */

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { HumanAnswer } from '../../../shared/index.ts';
import type { LocalMessage, QueuedAnswer } from '../../state/types.ts';
import type { VersionPlace } from '../../state/versions.ts';
import { fire, type MessageAction } from '../common/fire.ts';
import { icon } from '../common/icons.ts';
import { sharedStyles } from '../common/shared-styles.ts';
import './markdown-view.ts';
import { hasExtras, loadReplyExtras } from './reply-extras.ts';

/** One empty list for every message with nothing queued, so none re-renders for a new one. */
const NONE: readonly QueuedAnswer[] = [];

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * @fires message-action - pin, unpin, delete, retry, regenerate (the last reply), continue (the last reply, stopped
 *   or failed) or edit (one's own message)
 * @fires notify - copied (as read, or as Markdown), or why not
 */
@customElement('chat-message')
export class ChatMessage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        padding: 0.35rem 0;
      }
      article {
        position: relative;
        max-width: 100%;
      }
      .user {
        margin-left: auto;
        width: fit-content;
        max-width: min(85%, 40rem);
        background: var(--bubble);
        border-radius: var(--radius) var(--radius) 4px var(--radius);
        padding: 0.6rem 0.9rem;
      }
      .assistant {
        padding: 0.2rem 0;
      }
      .pinned {
        box-shadow: inset 3px 0 0 var(--accent);
        padding-left: 0.9rem;
      }
      .user.pinned {
        box-shadow: inset -3px 0 0 var(--accent);
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        line-height: 1.5;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        font-size: 0.78rem;
        color: var(--muted);
        margin-top: 0.25rem;
        min-height: 2rem;
      }
      .meta.right {
        flex-direction: row-reverse;
      }
      .actions {
        display: flex;
        gap: 0.1rem;
        opacity: 0;
        transition: opacity 0.15s;
      }
      :host(:hover) .actions,
      .actions:focus-within {
        opacity: 1;
      }
      @media (hover: none) {
        .actions {
          opacity: 0.8;
        }
      }
      .actions button {
        min-height: 2rem;
        min-width: 2rem;
        color: var(--muted);
      }
      .continue {
        min-height: 2rem;
        padding: 0.1rem 0.7rem;
        font-size: 0.78rem;
        border-color: var(--accent);
        color: var(--accent-text);
        background: transparent;
      }
      .versions {
        display: inline-flex;
        align-items: center;
        font-variant-numeric: tabular-nums;
      }
      .versions button {
        min-height: 2rem;
        min-width: 2rem;
        color: var(--muted);
      }
      .versions .back .i {
        transform: rotate(180deg);
      }
      .badge {
        border-radius: 999px;
        padding: 0.05rem 0.5rem;
        background: var(--surface-2);
        border: 1px solid var(--border);
      }
      .warn {
        color: var(--danger);
      }
      .error-box {
        border: 1px solid var(--danger);
        color: var(--danger);
        border-radius: var(--radius-sm);
        padding: 0.5rem 0.7rem;
        margin-top: 0.4rem;
        font-size: 0.9rem;
      }
      .failed {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        justify-content: space-between;
      }
      .fix {
        display: inline-flex;
        gap: 0.4rem;
      }
      .fix button {
        min-height: 2rem;
        padding: 0.2rem 0.7rem;
      }
      .cursor {
        display: inline-block;
        width: 0.55em;
        height: 1em;
        background: var(--accent);
        vertical-align: text-bottom;
        animation: blink 1s steps(1) infinite;
      }
      @keyframes blink {
        50% {
          opacity: 0;
        }
      }
    `,
  ];

  @property({ attribute: false }) message!: LocalMessage;
  @property({ type: Boolean }) pinned = false;
  /** The newest reply of the chat, with no reply running: it can be regenerated (and continued, if it stopped). */
  @property({ type: Boolean }) regenerable = false;
  /** This message's answers still in the outbox, by request id. */
  @property({ attribute: false }) queued: readonly QueuedAnswer[] = NONE;
  /** Where this message stands among its versions (a regenerated reply, an edited message); absent with none. */
  @property({ attribute: false }) version: VersionPlace | undefined;

  override render() {
    const m = this.message;
    const streaming = m.state === 'streaming';
    if (hasExtras(m)) void loadReplyExtras().catch(() => undefined);
    const body =
      m.role === 'user'
        ? html`<div class="text">${m.text}</div>`
        : html`${m.steps?.length ? html`<message-steps .steps=${m.steps}></message-steps>` : nothing}
          ${m.reasoning ? html`<reasoning-block .text=${m.reasoning} ?streaming=${streaming && !m.text}></reasoning-block>` : nothing}
          ${(m.tools ?? []).map((t) => html`<tool-call-block .call=${t}></tool-call-block>`)}
          ${m.agent_state ? html`<data-block label="Agent state" .json=${m.agent_state}></data-block>` : nothing}
          ${(m.data ?? []).map((d) => html`<data-block .label=${d.name} .json=${d.data} ?transient=${d.transient === true}></data-block>`)}
          ${m.text ? html`<markdown-view .text=${m.text} ?streaming=${streaming}></markdown-view>` : nothing}
          ${m.sources?.length ? html`<message-sources .sources=${m.sources}></message-sources>` : nothing}
          ${streaming && !m.text && !m.tools?.length && !m.reasoning && !m.steps?.length ? html`<span class="cursor" aria-hidden="true"></span>` : nothing}`;
    return html`<article
        class="${m.role} ${this.pinned ? 'pinned' : ''}"
        aria-label=${m.role === 'user' ? 'You' : 'Agent'}
        aria-busy=${streaming ? 'true' : 'false'}
      >
        ${body}
        ${(m.requests ?? []).map((r) =>
          r.kind === 'approval'
            ? html`<approval-card
                .request=${r}
                .messageId=${m.id}
                .queued=${this.queuedFor(r.id)}
                ?waiting=${streaming}
              ></approval-card>`
            : html`<question-form
                .request=${r}
                .messageId=${m.id}
                .queued=${this.queuedFor(r.id)}
                ?waiting=${streaming}
              ></question-form>`,
        )}
        ${m.attachments?.length ? html`<message-attachments .attachments=${m.attachments}></message-attachments>` : nothing}
        ${
          m.buttons?.length
            ? html`<message-buttons
                .messageId=${m.id}
                .buttons=${m.buttons}
                .used=${m.used_actions ?? []}
              ></message-buttons>`
            : nothing
        }
        ${
          m.state === 'error'
            ? html`<div class="error-box" role="note">
                ${m.interrupted ? 'Cut off' : m.unreadable ? `This ${m.role === 'user' ? 'message' : 'reply'} could not be shown` : 'Reply failed'}:
                ${m.error ?? 'unknown error'}
              </div>`
            : nothing
        }
        ${
          m.state === 'failed'
            ? html`<div class="error-box failed" role="alert">
                <span>Not sent: ${m.error ?? 'rejected by the relay'}</span>
                <span class="fix">
                  <button @click=${() => fire(this, 'message-action', { id: m.id, action: 'retry' })}>
                    Send again
                  </button>
                  <button @click=${() => fire(this, 'message-action', { id: m.id, action: 'delete' })}>Delete</button>
                </span>
              </div>`
            : nothing
        }
      </article>
      <div class="meta ${m.role === 'user' ? 'right' : ''}">${this.renderMeta(m)}</div>`;
  }

  private queuedFor(requestId: string): HumanAnswer | undefined {
    return this.queued.find((q) => q.requestId === requestId)?.answer;
  }

  private renderMeta(m: LocalMessage) {
    const action = (a: MessageAction) => () => fire(this, 'message-action', { id: m.id, action: a });
    const editable = m.role === 'user' && (m.state === 'sent' || m.state === 'failed');
    const v = this.version;
    return html`<time datetime=${new Date(m.created_at).toISOString()}>${time.format(m.created_at)}</time>
      ${
        v
          ? html`<span class="versions" role="group" aria-label="Versions">
              <button
                class="icon back"
                ?disabled=${v.index <= 1}
                @click=${action('older-version')}
                aria-label="Previous version"
                title="Previous version"
              >
                ${icon('chevron')}
              </button>
              <span aria-live="polite" aria-label=${`Version ${v.index} of ${v.count}`}>${v.index} / ${v.count}</span>
              <button
                class="icon"
                ?disabled=${v.index >= v.count}
                @click=${action('newer-version')}
                aria-label="Next version"
                title="Next version"
              >
                ${icon('chevron')}
              </button>
            </span>`
          : nothing
      }
      ${m.state === 'pending' ? html`<span class="badge">Queued — sends when connected</span>` : nothing}
      ${m.state === 'stopped' ? html`<span class="badge">Stopped</span>` : nothing}
      ${m.edited_at ? html`<span class="badge">Edited</span>` : nothing}
      ${this.pinned ? html`<span class="badge">Pinned</span>` : nothing}
      ${
        // The chat's newest reply only: once continued, the new reply is where to go on from.
        this.regenerable && m.role === 'assistant' && (m.state === 'stopped' || m.state === 'error') && !m.unreadable
          ? html`<button
              class="continue"
              @click=${action('continue')}
              title="Let the agent go on from where it stopped"
            >
              Continue
            </button>`
          : nothing
      }
      <span class="actions">
        <button class="icon" @click=${this._onCopy} aria-label="Copy text" title="Copy text">${icon('copy')}</button>
        ${
          m.role === 'assistant' && m.state !== 'streaming' && m.text
            ? html`<button
                class="icon copy-md"
                @click=${this._onCopyMarkdown}
                aria-label="Copy as Markdown"
                title="Copy as Markdown"
              >
                ${icon('markdown')}
              </button>`
            : nothing
        }
        <button
          class="icon"
          @click=${action(this.pinned ? 'unpin' : 'pin')}
          aria-label=${this.pinned ? 'Unpin message' : 'Pin message'}
          aria-pressed=${this.pinned ? 'true' : 'false'}
          title=${this.pinned ? 'Unpin' : 'Pin'}
        >
          ${icon('pin')}
        </button>
        ${
          editable
            ? html`<button class="icon" @click=${action('edit')} aria-label="Edit and resend" title="Edit and resend">
                ${icon('edit')}
              </button>`
            : nothing
        }
        ${
          this.regenerable
            ? html`<button class="icon" @click=${action('regenerate')} aria-label="Regenerate reply" title="Regenerate">
                ${icon('retry')}
              </button>`
            : nothing
        }
        <button class="icon" @click=${action('delete')} aria-label="Delete message" title="Delete everywhere">
          ${icon('trash')}
        </button>
      </span>`;
  }

  /** Copies the text as read: a reply's rendered words (no markdown marks), one's own message as typed. */
  private _onCopy(): Promise<void> {
    const shown = this.renderRoot.querySelector('markdown-view')?.renderRoot.querySelector('.md');
    const text = shown instanceof HTMLElement && this.message.role === 'assistant' ? shown.innerText.trim() : '';
    return this.copy(text || this.message.text, 'Copied to clipboard.');
  }

  /** Copies a whole reply's markdown source, as the agent wrote it (its text, not the rendered page). */
  private _onCopyMarkdown(): Promise<void> {
    return this.copy(this.message.text, 'Copied as Markdown.');
  }

  private async copy(text: string, done: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      fire(this, 'notify', { text: done });
    } catch {
      fire(this, 'notify', { text: 'The browser did not allow copying.' });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-message': ChatMessage;
  }
}
