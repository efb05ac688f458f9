/** What a reply cites (AI SDK sources, files it could not attach): numbered links, or titles for documents. */

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Source } from '../../../shared/index.ts';
import { sharedStyles } from '../common/shared-styles.ts';

/** Only web links become links: an agent's `javascript:` or `data:` URL is shown as text, never followed. */
function webUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function label(s: Source): string {
  return s.title ?? s.filename ?? s.url ?? s.id;
}

@customElement('message-sources')
export class MessageSources extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      ol {
        margin: 0.4rem 0 0.2rem;
        padding-left: 1.4rem;
        font-size: 0.85rem;
        color: var(--muted);
      }
      a {
        color: var(--accent);
        overflow-wrap: anywhere;
      }
      .kind {
        margin-left: 0.3rem;
        font-size: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) sources: Source[] = [];

  override render() {
    return html`<ol aria-label="Sources">
      ${this.sources.map((s) => {
        const href = webUrl(s.url);
        const kind = s.media_type ? html`<span class="kind">${s.media_type}</span>` : '';
        return href
          ? html`<li><a href=${href} target="_blank" rel="noopener noreferrer">${label(s)}</a>${kind}</li>`
          : html`<li>${label(s)}${kind}</li>`;
      })}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-sources': MessageSources;
  }
}
