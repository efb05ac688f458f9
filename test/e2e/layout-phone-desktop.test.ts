/** Issue 13's screen defects, measured in the built app at phone (390x844) and desktop (1280x800) size. */

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { installProbes } from './page-probes.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

async function open(options: typeof PHONE | typeof DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ ...options, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(h.base);
  await page.locator('chat-composer textarea').waitFor();
  await page.waitForFunction(() =>
    document
      .querySelector('parley-app')
      ?.shadowRoot?.querySelector('connection-status')
      ?.shadowRoot?.querySelector('button')
      ?.textContent?.includes('Connected'),
  );
  await installProbes(page);
  return { context, page };
}

async function send(page: Page, text: string, wait = true): Promise<void> {
  const box = page.locator('chat-composer textarea');
  await box.fill(text);
  await box.press('Enter');
  if (!wait) return;
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    const last = list[list.length - 1];
    return last?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

/** Whether the deep hit test at the centre of the notice reading `text` lands on that notice. */
function toastOnTop(page: Page, text: string): Promise<boolean> {
  return page.evaluate((text) => {
    const toast = window.__probe.all(document, '.toast').find((t) => t.textContent?.includes(text));
    if (!toast) return false;
    const r = toast.getBoundingClientRect();
    return window.__probe.within(window.__probe.hit(r.x + r.width / 2, r.y + r.height / 2), toast);
  }, text);
}

/** Presses Tab `n` times and reports whether focus ever landed inside `<main>` (the chat behind an overlay). */
function tabIntoMain(page: Page, n: number): Promise<boolean> {
  return (async () => {
    for (let i = 0; i < n; i++) {
      await page.keyboard.press('Tab');
      const inMain = await page.evaluate(() => {
        const main = document.querySelector('parley-app')?.shadowRoot?.querySelector('main');
        return main ? window.__probe.within(window.__probe.active(), main) : false;
      });
      if (inMain) return true;
    }
    return false;
  })();
}

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe.each([
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const)('at %s size', (name, options) => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await open(options));
  });

  afterAll(async () => {
    await context?.close();
  });

  // A failed step must not leave a dialog open over the next test.
  afterEach(async () => {
    await page.evaluate(() =>
      window.__probe.all(document, 'dialog[open]').forEach((d) => d instanceof HTMLDialogElement && d.close()),
    );
  });

  it('opens a new chat at its top: the "Start a conversation" heading and first suggestion are on screen', async () => {
    const seen = await page.evaluate(() => {
      const [heading] = window.__probe.find('empty-state', 'h2');
      const [first] = window.__probe.find('empty-state', 'li button');
      const [scroller] = window.__probe.find('chat-view', '.scroller');
      if (!heading || !first || !scroller) return undefined;
      const box = scroller.getBoundingClientRect();
      const inside = (el: Element) => {
        const r = el.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
      };
      return { scrollTop: scroller.scrollTop, heading: inside(heading), first: inside(first) };
    });
    expect(seen).toEqual({ scrollTop: 0, heading: true, first: true });
  });

  it('shows a notice from an open dialog above it, readable and not inert', async () => {
    await send(page, 'Hello');
    await page.locator('header button[aria-label="Export and import"]').click();
    await page.locator('data-dialog dialog[open]').waitFor();
    await page.locator('data-dialog button', { hasText: 'Export JSON' }).click();
    await expect.poll(() => toastOnTop(page, 'Exported 1 chat.')).toBe(true);
    await page.keyboard.press('Escape');
    await page.locator('data-dialog dialog[open]').waitFor({ state: 'detached' });
  });

  it('keeps Tab inside an open dialog', async () => {
    await page.locator('header button[aria-label="Settings"]').click();
    await page.locator('settings-dialog dialog[open]').waitFor();
    expect(await tabIntoMain(page, 25)).toBe(false);
    await page.keyboard.press('Escape');
    await page.locator('settings-dialog dialog[open]').waitFor({ state: 'detached' });
  });

  it('shows one typing indicator for /typing, not also an empty reply with a cursor and a time', async () => {
    await send(page, '/typing', false);
    await page.locator('chat-view .typing').waitFor();
    const shown = await page.evaluate(() => {
      const messages = window.__probe.find('chat-view', 'chat-message');
      const last = messages[messages.length - 1];
      return {
        lastRole: last?.shadowRoot?.querySelector('article')?.className.split(' ')[0],
        cursors: window.__probe.find('chat-message', '.cursor').length,
        dots: window.__probe.find('chat-view', '.typing').length,
      };
    });
    expect(shown).toEqual({ lastRole: 'user', cursors: 0, dots: 1 });
    await page.locator('chat-view .typing').waitFor({ state: 'detached' });
  });

  it('stops a reply with Esc when focus is not in the message box, but not while Esc closes search', async () => {
    await send(page, '/slow', false);
    const stop = page.locator('chat-composer button.stop');
    await stop.waitFor();
    await page.keyboard.press('Control+k');
    await page.locator('search-dialog dialog[open]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('search-dialog dialog[open]').waitFor({ state: 'detached' });
    expect(await stop.count()).toBe(1);
    // Focus on a control outside the message box, as after using the header.
    await page.locator('header button[aria-label="Settings"]').focus();
    await page.keyboard.press('Escape');
    await stop.waitFor({ state: 'detached' });
    const badges = await page.locator('chat-view chat-message').last().locator('.badge').allTextContents();
    expect(badges).toContain('Stopped');
  });

  it('offers connection details from the status pill: relay, agent, capabilities, and Reconnect', async () => {
    await page.locator('connection-status button').first().click();
    const panel = page.locator('connection-status .details');
    await panel.waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain(h.base.replace('http', 'ws'));
    expect(text).toContain('Parley demo');
    expect(text).toContain('reasoning');
    await panel.locator('button', { hasText: 'Reconnect' }).click();
    await expect.poll(() => page.locator('connection-status button').first().textContent()).toContain('Connected');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  });

  if (name === 'phone') {
    it('makes the chat behind the open drawer inert: focus starts in the drawer and Tab stays there', async () => {
      await page.locator('header button.menu').click();
      await page.locator('.drawer-open').waitFor();
      const inDrawer = await page.evaluate(() => {
        const aside = document.querySelector('parley-app')?.shadowRoot?.querySelector('aside');
        return aside ? window.__probe.within(window.__probe.active(), aside) : false;
      });
      expect(inDrawer).toBe(true);
      expect(await tabIntoMain(page, 25)).toBe(false);
      await page.keyboard.press('Escape');
      await page.locator('.drawer-open').waitFor({ state: 'detached' });
      const back = await page.evaluate(() => window.__probe.active()?.getAttribute('aria-label'));
      expect(back).toBe('Show chats');
    });

    it('gives the message box most of the composer row', async () => {
      const widths = await page.evaluate(() => {
        const [form] = window.__probe.find('chat-composer', 'form');
        const [field] = window.__probe.find('chat-composer', 'textarea');
        return { form: form?.clientWidth ?? 0, field: field?.getBoundingClientRect().width ?? 0 };
      });
      expect(widths.field / widths.form).toBeGreaterThan(0.75);
    });

    it('lays attached file chips side by side, not one per row', async () => {
      const files = ['quarterly-report-final.txt', 'meeting-notes-tuesday.txt', 'budget.txt'].map((name) => ({
        name,
        mimeType: 'text/plain',
        buffer: Buffer.from(`contents of ${name}`),
      }));
      await page.locator('chat-composer input[type=file]').setInputFiles(files);
      await expect.poll(() => page.locator('composer-files .chip').count()).toBe(3);
      const tops = await page.evaluate(() =>
        window.__probe.find('composer-files', '.chip').map((c) => Math.round(c.getBoundingClientRect().top)),
      );
      expect(new Set(tops).size).toBe(1);
      for (let i = 0; i < 3; i++) await page.locator('composer-files button[aria-label^="Remove"]').first().click();
    });

    it('uses the header width for a long title and shows all of it on a tap', async () => {
      await page.evaluate(() => (location.hash = '#/c/long-title'));
      await send(page, 'A very long title for a chat on a phone');
      const fit = () =>
        page.evaluate(() => {
          const [h1] = window.__probe.all(document, 'header h1');
          return h1
            ? {
                clipped: h1.scrollWidth > h1.clientWidth + 1 || h1.scrollHeight > h1.clientHeight + 1,
                title: h1.getAttribute('title'),
              }
            : undefined;
        });
      // The demo names the chat from the message's first five words once it has replied.
      await expect.poll(fit).toEqual({ clipped: false, title: 'Demo: A very long title for' });
      const long = 'A much longer title that goes on and on, far past what two lines of a phone header could hold';
      await page.locator('header button.menu').click();
      await page.locator('session-list button[aria-label^="Rename"]').first().click();
      await page.locator('session-list form input').fill(long);
      await page.locator('session-list form input').press('Enter');
      await page.keyboard.press('Escape');
      await page.locator('.drawer-open').waitFor({ state: 'detached' });
      await expect.poll(async () => (await fit())?.title).toBe(long);
      expect((await fit())?.clipped).toBe(true);
      await page.locator('header h1').tap();
      expect(await fit()).toEqual({ clipped: false, title: long });
    });
  } else {
    it("shows the chat's model in full in the header chip", async () => {
      const fits = await page.evaluate(() => {
        const [name] = window.__probe.find('parley-app', 'header button.chat-settings .model');
        return name instanceof HTMLElement && name.textContent !== '' && name.scrollWidth <= name.clientWidth;
      });
      expect(fits).toBe(true);
    });
  }
});
