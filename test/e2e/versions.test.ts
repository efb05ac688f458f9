/**
 * Message versions on two devices (two browser profiles, a real relay, real Chromium): a
 * regenerated reply and an edited question keep their old versions behind ‹ n / m ›, both devices show the same
 * versions and the same default branch, a message sent from a switched branch stays on it, the versions survive a
 * reload, and a deletion reaches the other device once its undo window has passed.
 * PARLEY_SCREENSHOTS=1 saves a desktop shot of the switched reply and a phone shot of the same chat to docs/screenshots/.
 */

import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openChat, replyDone, send } from './chaos/app-page.ts';
import { startChaos, type Chaos } from './chaos/fixture.ts';
import type { RelayProcess } from './chaos/relay-process.ts';
import { editAndResend, shownIds, stepVersion, versionRows } from './chaos/versions-page.ts';

const SAVE = process.env['PARLEY_SCREENSHOTS'] === '1';
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');

let chaos: Chaos;
let relay: RelayProcess;
let browser: Browser;

beforeAll(async () => {
  chaos = await startChaos();
  ({ relay, browser } = chaos);
});
afterAll(async () => {
  await chaos?.close();
});

const messages = (page: Page) => page.locator('chat-view chat-message');
const rows = versionRows;
const ids = shownIds;
const step = stepVersion;

it('two devices share versions from regenerate and edit, keep a switched branch, and converge on deletes', async () => {
  const chat = 'c-versions';
  const laptop = await openChat(await browser.newContext(), relay.base, chat);
  await send(laptop, 'first question');
  await replyDone(laptop);
  await send(laptop, 'second question');
  await replyDone(laptop);
  const before = await rows(laptop);
  const oldReply = before[3]?.id;

  // Regenerate: the old reply stays, behind the switcher.
  await messages(laptop).last().hover();
  await messages(laptop).last().getByRole('button', { name: 'Regenerate reply' }).click();
  await expect.poll(async () => (await rows(laptop)).at(-1)?.version, { timeout: 15_000 }).toBe('2 / 2');
  await replyDone(laptop);
  const regenerated = await rows(laptop);
  expect(regenerated.map((r) => r.id).slice(0, 3)).toEqual(before.slice(0, 3).map((r) => r.id));
  expect(regenerated[3]?.id).not.toBe(oldReply);

  // The phone, opening the link, shows the same versions and the same branch.
  const phone = await openChat(await browser.newContext(), relay.base, chat);
  await expect.poll(() => rows(phone), { timeout: 15_000 }).toEqual(regenerated);

  // On the laptop, back to the first version of the reply, and on from there.
  await step(laptop, 3, 'Previous version');
  await expect.poll(async () => (await rows(laptop))[3]).toMatchObject({ id: oldReply, version: '1 / 2' });
  await send(laptop, 'third question, after the first version');
  await replyDone(laptop);
  const branched = await rows(laptop);
  expect(branched).toHaveLength(6);
  expect(branched[3]).toMatchObject({ id: oldReply, version: '1 / 2' });
  if (SAVE) {
    await messages(laptop).nth(3).scrollIntoViewIfNeeded();
    await laptop.mouse.move(0, 0);
    await laptop.screenshot({ path: `${OUT}/versions-desktop.png` });
    const small = await openChat(
      await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true }),
      relay.base,
      chat,
    );
    await expect.poll(() => ids(small), { timeout: 15_000 }).toEqual(branched.map((r) => r.id));
    await messages(small).nth(3).scrollIntoViewIfNeeded();
    await small.screenshot({ path: `${OUT}/versions-phone.png` });
    await small.context().close();
  }

  // The phone shows the branch last written to (the same rule everywhere), with the switcher on the reply.
  await expect.poll(() => rows(phone), { timeout: 15_000 }).toEqual(branched);
  await step(phone, 3, 'Next version');
  await expect.poll(() => ids(phone)).toEqual(regenerated.map((r) => r.id));

  // Edit-and-resend on the phone: the first question gets a second version with its own reply.
  await editAndResend(phone, 0, 'first question, edited');
  await expect
    .poll(async () => (await rows(phone)).map((r) => [r.role, r.version]), { timeout: 15_000 })
    .toEqual([
      ['user', '2 / 2'],
      ['assistant', ''],
    ]);
  await replyDone(phone);
  const edited = await rows(phone);
  expect(edited[0]?.text).toBe('first question, edited');
  await expect.poll(() => rows(laptop), { timeout: 15_000 }).toEqual(edited);

  // The old question and everything under it are one step back.
  await step(laptop, 0, 'Previous version');
  await expect.poll(async () => (await rows(laptop)).length).toBe(6);
  expect((await rows(laptop))[0]).toMatchObject({ text: 'first question', version: '1 / 2' });

  // A pinned message on the branch not shown: jumping to it from the pins brings its branch back in.
  await messages(laptop).nth(4).hover();
  await messages(laptop).nth(4).getByRole('button', { name: 'Pin message' }).click();
  await step(laptop, 0, 'Next version');
  await expect.poll(() => rows(laptop)).toEqual(edited);
  await laptop.getByRole('button', { name: 'Pinned messages (1)' }).click();
  await laptop.locator('pinned-list button.go').click();
  await expect.poll(async () => (await rows(laptop))[4]?.text).toBe('third question, after the first version');

  // After a reload the versions are still there; the default branch is the one last written to.
  await laptop.reload();
  await laptop.locator('chat-composer textarea').waitFor();
  await expect.poll(() => rows(laptop), { timeout: 15_000 }).toEqual(edited);

  // Deleting the edited question's reply on the phone reaches the laptop once the undo window has passed.
  const reply = edited[1]?.id;
  await messages(phone).nth(1).hover();
  await messages(phone).nth(1).getByRole('button', { name: 'Delete message' }).click();
  await expect.poll(() => ids(phone)).toEqual([edited[0]?.id]);
  await expect.poll(() => ids(laptop), { timeout: 20_000 }).toEqual([edited[0]?.id]);

  // A third, fresh device shows the same: the deleted reply nowhere, every version of the rest.
  const fresh = await openChat(await browser.newContext(), relay.base, chat);
  await expect.poll(() => rows(fresh), { timeout: 15_000 }).toEqual(await rows(laptop));
  expect(await ids(fresh)).not.toContain(reply);
  await step(fresh, 0, 'Previous version');
  await expect.poll(async () => (await rows(fresh)).length).toBe(6);
});
