/**
 * Chaos 10: a relay on a data directory is killed (SIGKILL) in the middle of a run of workspace changes from a
 * device, and started again from its data directory. The device's outbox sends again what was not acked; the
 * relay's workspace history must then hold every change once (nothing acked lost, nothing doubled), and a fresh
 * profile must show what the device shows.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WORKSPACE_CHAT_ID, type WorkspaceEvent } from '../../../shared/index.ts';
import { TestClient } from '../../helpers/client.ts';
import { replyDone, send, statusText, waitConnected } from './app-page.ts';
import { newChatId, startChaos, type Chaos } from './fixture.ts';
import { goToChat, rename, setPinned, sidebar, storedWorkspace } from './workspace-page.ts';

const data = mkdtempSync(join(tmpdir(), 'parley-chaos-ws-kill-'));
let chaos: Chaos;
beforeAll(async () => {
  chaos = await startChaos(['--data-dir', data]);
});
afterAll(async () => {
  await chaos?.close();
  rmSync(data, { recursive: true, force: true });
});

async function device() {
  const context = await chaos.browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await page.goto(chaos.relay.base);
  await page.locator('chat-composer textarea').waitFor();
  await waitConnected(page);
  return { context, page };
}

/** Every workspace change the relay holds, as a fresh subscriber replays it. */
async function relayHistory(): Promise<WorkspaceEvent['changes']> {
  const client = await TestClient.connect(chaos.relay.wsBase);
  try {
    client.send({ type: 'subscribe', chat_id: WORKSPACE_CHAT_ID });
    const sub = await client.waitType('subscribed');
    await client.waitFor((fs) => (fs.some((f) => f.type === 'workspace' && f.seq >= sub.head_seq) ? true : undefined));
    return client.events(WORKSPACE_CHAT_ID).flatMap((e) => (e.type === 'workspace' ? e.changes : []));
  } finally {
    client.close();
  }
}

it(
  '10 · relay killed mid-change and restarted from its data dir: every change kept once',
  { timeout: 120_000 },
  async () => {
    const chats = [newChatId('kill1'), newChatId('kill2')];
    const a = await device();
    for (const [i, id] of chats.entries()) {
      await goToChat(a.page, chaos.relay.base, id);
      await send(a.page, `kill test chat ${i}`);
      await replyDone(a.page);
    }
    await rename(a.page, 'kill test chat 0', 'first name');
    await rename(a.page, 'first name', 'second name');
    await setPinned(a.page, 'kill test chat 1', true);
    // The kill lands while these are leaving: some are acked, some in flight, some written after it.
    const killed = chaos.relay.kill();
    await rename(a.page, 'second name', 'third name');
    await setPinned(a.page, 'kill test chat 1', false);
    await killed;
    await expect.poll(() => statusText(a.page)).toContain('Offline');
    await rename(a.page, 'third name', 'final name');
    await chaos.relay.restart();
    await waitConnected(a.page);
    await expect.poll(async () => (await storedWorkspace(a.page)).queued, { timeout: 30_000 }).toBe(0);

    const history = await relayHistory();
    const stamps = history.map((c) => c.at);
    expect(new Set(stamps).size).toBe(stamps.length);
    // Every change A made is in the relay's history, once (A's records hold the newest of each field).
    const titles = history.filter((c) => c.chat === chats[0] && c.field === 'title').map((c) => c.value);
    expect(titles).toEqual(['first name', 'second name', 'third name', 'final name']);
    const pins = history.filter((c) => c.chat === chats[1] && c.field === 'pinned').map((c) => c.value);
    expect(pins).toEqual([true, false]);

    const c = await device();
    await expect
      .poll(async () => (await sidebar(c.page)).filter((x) => chats.includes(x.id)), { timeout: 20_000 })
      .toEqual((await sidebar(a.page)).filter((x) => chats.includes(x.id)));
    expect((await sidebar(c.page)).filter((x) => chats.includes(x.id)).map((x) => [x.title, x.pinned])).toEqual([
      ['kill test chat 1', false],
      ['final name', false],
    ]);
    await Promise.all([a.context.close(), c.context.close()]);
  },
);
