/**
 * Benchmark 4's baseline: the same stored session read through the same database module, then every
 * message rendered (marked + DOMPurify, innerHTML), as chat UIs without windowing do.
 */

import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { ParleyDb } from '../../client/state/db.ts';
import { afterPaint } from './after-paint.ts';

function countNodes(root: Node = document): number {
  let n = 1;
  for (const kid of root.childNodes) n += countNodes(kid);
  return n;
}

async function open(chatId: string): Promise<{ ms: number; nodes: number }> {
  await afterPaint();
  const t0 = performance.now();
  const db = await ParleyDb.open();
  const messages = await db.loadMessages(chatId);
  db.close();
  const marked = new Marked({ gfm: true, async: false });
  const log = document.getElementById('log');
  if (!log) throw new Error('no #log');
  log.innerHTML = messages
    .map((m) => `<div class="message ${m.role}">${DOMPurify.sanitize(marked.parse(m.text) as string)}</div>`)
    .join('');
  log.scrollTop = log.scrollHeight;
  const painted = await afterPaint();
  return { ms: painted - t0, nodes: countNodes() };
}

Object.assign(window, { __history: { open } });
