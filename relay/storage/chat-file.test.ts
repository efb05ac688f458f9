import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/index.ts';
import { valueBytes } from '../core/json-size.ts';
import { createLogger } from '../core/logger.ts';
import { KEEP_ALL } from '../core/replay-window.ts';
import { openFileStore } from './data-dir.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function chat() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-chat-file-'));
  dirs.push(dir);
  const store = openFileStore({
    dir,
    retention: KEEP_ALL,
    acks: { max: 10, maxAgeMs: 60_000 },
    logger: createLogger('warn'),
  });
  if (typeof store === 'string') throw new Error(store);
  const { history } = store.open('c-1', Date.now());
  const file = join(dir, 'chats', [...'c-1'].map((c) => c.charCodeAt(0).toString(16)).join('') + '.log');
  for (let seq = 1; seq <= 3; seq++) {
    const event: ChatEvent = { type: 'retract', message_id: `m-${seq}`, chat_id: 'c-1', seq, epoch: store.epoch };
    history.append({ event, at: Date.now(), bytes: valueBytes(event) });
  }
  return { store, history, file };
}

describe('ChatFile.rewrite', () => {
  it('writes the file afresh with what `compact` keeps, and not at all when it keeps everything as it was', async () => {
    const { store, history, file } = chat();
    const before = statSync(file).ino;
    expect(history.rewrite((entries) => entries).map((e) => e.event.seq)).toEqual([1, 2, 3]);
    expect(statSync(file).ino, 'the same file: nothing was rewritten').toBe(before);
    expect(history.rewrite((entries) => entries.slice(1)).map((e) => e.event.seq)).toEqual([2, 3]);
    expect(statSync(file).ino, 'a new file renamed over the old one').not.toBe(before);
    expect(history.read(0, 3, Date.now()).events.map((e) => e.seq)).toEqual([2, 3]);
    history.close();
    await store.close();
  });
});
