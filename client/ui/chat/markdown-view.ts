/** Renders markdown incrementally: finished blocks are parsed and sanitized once, only the tail is redone, once per frame. */

import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { BlockSplitter } from '../../markdown/block-splitter.ts';
import { copyWithTex } from '../../markdown/math-copy.ts';
import { fire } from '../common/fire.ts';
import { sharedStyles } from '../common/shared-styles.ts';
import { diagramStyles } from './diagram-styles.ts';
import { markdownStyles } from './markdown-styles.ts';

type Renderer = typeof import('../../markdown/render.ts');

/** The parser and sanitizer are not needed for first paint; every view shares one lazy load. */
let rendererPromise: Promise<Renderer> | undefined;
let renderer: Renderer | undefined;
export function loadRenderer(): Promise<Renderer> {
  rendererPromise ??= import('../../markdown/render.ts').then((m) => (renderer = m));
  return rendererPromise;
}

/** The sanitizer keeps only raster data: images inline; each becomes a control that enlarges it. */
function enlargeable(root: ParentNode): void {
  for (const img of root.querySelectorAll('img')) {
    img.tabIndex = 0;
    img.setAttribute('role', 'button');
    img.setAttribute('aria-label', `Enlarge image ${img.alt}`.trim());
  }
}

/**
 * @summary Markdown that may still be streaming.
 * @fires open-images - an inline image was clicked or pressed (Enter, Space): this message's images, that one first
 * @csspart body - the rendered markdown
 */
@customElement('markdown-view')
export class MarkdownView extends LitElement {
  static override styles = [sharedStyles, markdownStyles, diagramStyles];

  @property() text = '';
  /** While true, the last block is treated as unfinished (no highlighting) and rendering waits for a frame. */
  @property({ type: Boolean }) streaming = false;

  private splitter = new BlockSplitter();
  private frame = 0;
  private shownBlocks = 0;
  private tail: { text: string; final: boolean } | undefined;

  override render() {
    return html`<div class="md" part="body" @click=${this._onClick} @keydown=${this._onKey} @copy=${this._onCopy}>
      <div class="blocks"></div>
      <div class="tail"></div>
    </div>`;
  }

  override updated(): void {
    if (!renderer) {
      this.paintPlain();
      void loadRenderer().then(() => this.sync());
    } else if (this.streaming) {
      this.frame ||= requestAnimationFrame(() => {
        this.frame = 0;
        this.sync();
      });
    } else {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.sync();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** Before the renderer has loaded: the text as text, never as HTML. */
  private paintPlain(): void {
    const tail = this.renderRoot.querySelector('.tail');
    if (tail) {
      tail.className = 'tail plain';
      tail.textContent = this.text;
    }
  }

  private sync(): void {
    const blocksEl = this.renderRoot.querySelector('.blocks');
    const tailEl = this.renderRoot.querySelector('.tail');
    if (!renderer || !blocksEl || !tailEl) return;
    const update = this.splitter.update(this.text);
    if (update.reset) {
      blocksEl.replaceChildren();
      this.shownBlocks = 0;
      this.tail = undefined;
    }
    const blocks = this.splitter.blocks;
    for (; this.shownBlocks < blocks.length; this.shownBlocks++) {
      const div = document.createElement('div');
      div.append(renderer.renderMarkdown(blocks[this.shownBlocks] ?? '', true));
      enlargeable(div);
      blocksEl.append(div);
    }
    tailEl.className = 'tail';
    const final = !this.streaming;
    if (this.tail?.text !== update.tail || this.tail.final !== final) {
      if (update.tail.trim() === '') tailEl.replaceChildren();
      else tailEl.replaceChildren(renderer.renderMarkdown(update.tail, final));
      enlargeable(tailEl);
      this.tail = { text: update.tail, final };
    }
    if (this.renderRoot instanceof ShadowRoot) renderer.adoptMathStyles(this.renderRoot);
  }

  /** A selection with math copies as text with each formula's TeX in place of its rendering. */
  private _onCopy(e: ClipboardEvent): void {
    const root = this.renderRoot;
    const selection = 'getSelection' in root && typeof root.getSelection === 'function' ? root.getSelection() : null;
    if (selection instanceof Selection) copyWithTex(selection, e);
  }

  private _onKey(e: KeyboardEvent): void {
    if ((e.key === 'Enter' || e.key === ' ') && e.target instanceof HTMLImageElement) {
      e.preventDefault();
      this.openImage(e.target);
    }
  }

  private openImage(img: HTMLImageElement): void {
    const all = [...this.renderRoot.querySelectorAll('img')];
    const images = all.map((i) => ({ url: i.src, name: i.dataset['name'] ?? (i.alt || 'Image') }));
    fire(this, 'open-images', { images, index: Math.max(0, all.indexOf(img)) });
  }

  private async _onClick(e: Event): Promise<void> {
    const target = e.target;
    if (target instanceof HTMLImageElement) return this.openImage(target);
    if (!(target instanceof HTMLButtonElement) || !('copy' in target.dataset)) return;
    const code = target.closest('.code')?.querySelector('pre')?.textContent ?? '';
    try {
      await navigator.clipboard.writeText(code);
      target.textContent = 'Copied';
    } catch {
      target.textContent = 'Copy failed';
    }
    setTimeout(() => (target.textContent = 'Copy'), 1500);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'markdown-view': MarkdownView;
  }
}
