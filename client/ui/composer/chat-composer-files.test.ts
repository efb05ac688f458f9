/** Files into the composer: drop and paste, previews, limits before sending (SVG refused), large images scaled down, edit and resend. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { LIMITS } from '../../../shared/index.ts';
import { MAX_IMAGE_SIDE, downscaleImage } from './attachment-intake.ts';
import type { ChatComposer } from './chat-composer.ts';
import './chat-composer.ts';

async function mount(): Promise<ChatComposer> {
  const el = document.createElement('chat-composer');
  el.chatId = 'c-1';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

async function png(width: number, height: number): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  // Noise, so the PNG is large and does not compress away.
  const data = ctx.createImageData(width, height);
  for (let i = 0; i < data.data.length; i++) data.data[i] = (i * 2654435761) >>> 24;
  ctx.putImageData(data, 0, 0);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], 'photo.png', { type: 'image/png' });
}

/** Waits until the composer shows what an async intake produced. */
async function settle(el: ChatComposer): Promise<void> {
  for (let i = 0; i < 50 && !el.shadowRoot?.querySelector('composer-files, .error'); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await el.updateComplete;
}

function chips(el: ChatComposer): string[] {
  const files = el.shadowRoot?.querySelector('composer-files');
  return [...(files?.shadowRoot?.querySelectorAll('.name') ?? [])].map((n) => n.textContent ?? '');
}

function sendAndCollect(el: ChatComposer) {
  const sent: HTMLElementEventMap['send-message']['detail'][] = [];
  el.addEventListener('send-message', (e) => sent.push(e.detail));
  el.shadowRoot?.querySelector('form')?.requestSubmit();
  return sent;
}

afterEach(() => document.querySelectorAll('chat-composer').forEach((e) => e.remove()));

describe('<chat-composer> files', () => {
  it('takes dropped files, previews images, and sends them with the message', async () => {
    const el = await mount();
    const dt = new DataTransfer();
    dt.items.add(new File(['# notes'], 'notes.md', { type: 'text/markdown' }));
    dt.items.add(await png(8, 8));
    const form = el.shadowRoot?.querySelector('form');
    form?.dispatchEvent(
      new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true }),
    );
    await el.updateComplete;
    expect(form?.classList.contains('dragging')).to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true });
    form?.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await settle(el);
    expect(form?.classList.contains('dragging')).to.equal(false);
    expect(chips(el)).to.deep.equal(['notes.md', 'photo.png']);
    expect(el.shadowRoot?.querySelector('composer-files')?.shadowRoot?.querySelectorAll('img')).to.have.length(1);
    const sent = sendAndCollect(el);
    expect(sent[0]?.files.map((f) => f.name)).to.deep.equal(['notes.md', 'photo.png']);
    await el.updateComplete;
    expect(chips(el)).to.deep.equal([]);
  });

  it('attaches a pasted image under a readable name, and refuses SVG and unknown types with a reason', async () => {
    const el = await mount();
    const ta = el.shadowRoot?.querySelector('textarea');
    const dt = new DataTransfer();
    dt.items.add(new File([await (await png(4, 4)).arrayBuffer()], 'image.png', { type: 'image/png' }));
    const paste = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, composed: true, cancelable: true });
    ta?.dispatchEvent(paste);
    expect(paste.defaultPrevented).to.equal(true);
    await settle(el);
    expect(chips(el)[0]).to.match(/^pasted-.*\.png$/);

    const bad = new DataTransfer();
    bad.items.add(new File(['<svg onload="alert(1)"/>'], 'x.svg', { type: 'image/svg+xml' }));
    el.shadowRoot
      ?.querySelector('form')
      ?.dispatchEvent(new DragEvent('drop', { dataTransfer: bad, bubbles: true, composed: true, cancelable: true }));
    await settle(el);
    await new Promise((r) => setTimeout(r, 50));
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('.error')?.textContent).to.contain('SVG images cannot be sent');
    expect(chips(el)).to.have.length(1);
  });

  it('refuses more files than a message may carry', async () => {
    const el = await mount();
    const many = Array.from(
      { length: LIMITS.maxAttachments + 2 },
      (_, i) => new File(['x'], `f${i}.txt`, { type: 'text/plain' }),
    );
    await el.addFiles(many);
    await el.updateComplete;
    expect(chips(el)).to.have.length(LIMITS.maxAttachments);
    expect(el.shadowRoot?.querySelector('.error')?.textContent).to.contain(`At most ${LIMITS.maxAttachments} files`);
  });

  it('scales a large image down before sending, and leaves a small one alone', async () => {
    const big = await png(3000, 1500);
    const scaled = await downscaleImage(big);
    const bitmap = await createImageBitmap(scaled);
    expect([bitmap.width, bitmap.height]).to.deep.equal([MAX_IMAGE_SIDE, MAX_IMAGE_SIDE / 2]);
    expect(scaled.type).to.equal('image/png');
    expect(scaled.name).to.equal('photo.png');
    const small = await png(10, 10);
    expect(await downscaleImage(small)).to.equal(small);
  });

  it('edits one of the user\u2019s messages: sending says which message it replaces; Esc cancels', async () => {
    const el = await mount();
    el.edit('m-1', 'old text', []);
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('.editing')).to.not.equal(null);
    expect(el.shadowRoot?.querySelector('textarea')?.value).to.equal('old text');
    const sent = sendAndCollect(el);
    expect(sent).to.deep.equal([{ text: 'old text', files: [], replaces: 'm-1' }]);
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('.editing')).to.equal(null);

    el.edit('m-2', 'other', []);
    await el.updateComplete;
    el.shadowRoot
      ?.querySelector('textarea')
      ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('.editing')).to.equal(null);
    expect(el.shadowRoot?.querySelector('textarea')?.value).to.equal('');
  });
});
