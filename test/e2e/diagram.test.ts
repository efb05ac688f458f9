/**
 * Diagrams in a reply, in the relay-served app under its CSP with Trusted Types: the demo's `/diagram` reply is
 * drawn by mermaid in its frame and shown as images (with a toggle to the source), a broken diagram says what
 * is wrong, no violation in the app or the frame, and the same diagrams draw offline after one visit.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let context: BrowserContext;
let page: Page;

const reply = () => page.locator('chat-view chat-message').last().locator('markdown-view');
/** Violations reported in the app's document and in the diagram frame's. */
const violations = (): Promise<string[]> =>
  page.evaluate(() => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Diagram renderer"]');
    const inFrame = frame?.contentWindow ? (Reflect.get(frame.contentWindow, '__csp') as string[] | undefined) : [];
    return [...(Reflect.get(window, '__csp') as string[]), ...(inFrame ?? []).map((v) => `frame: ${v}`)];
  });

async function replyFinished(): Promise<void> {
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    return list[list.length - 1]?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

/** Each diagram figure's state, and what the images are. */
async function diagrams(): Promise<{ states: string[]; images: string[]; errors: string[] }> {
  const md = reply();
  return {
    states: await md.locator('figure.diagram').evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? '')),
    images: await md
      .locator('figure.diagram img')
      .evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src.split(',')[0] ?? '')),
    errors: await md.locator('.diagram-error').allTextContents(),
  };
}

beforeAll(async () => {
  h = await startHarness();
  context = await h.browser.newContext({ viewport: { width: 1000, height: 900 } });
  await context.addInitScript(() => {
    const seen: string[] = [];
    Reflect.set(window, '__csp', seen);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  page = await context.newPage();
});

afterAll(async () => {
  await h?.close();
});

describe('diagrams in a reply', { timeout: 90_000 }, () => {
  it('draws the demo’s /diagram reply in the diagram frame and shows it as images, with no violation', async () => {
    await page.goto(h.base);
    await page.locator('chat-composer textarea').fill('/diagram');
    await page.locator('chat-composer textarea').press('Enter');
    await replyFinished();
    await expect.poll(async () => (await diagrams()).states, { timeout: 30_000 }).toEqual(['drawn', 'drawn', 'error']);
    const shown = await diagrams();
    expect(shown.images).toEqual(['data:image/svg+xml;charset=utf-8', 'data:image/svg+xml;charset=utf-8']);
    expect(shown.errors[0]).toMatch(/^Diagram not drawn: .*(Parse error|Syntax error)/s);
    // Each image has drawn: its SVG decoded to a real size (an SVG the CSP stopped would be 0 × 0 or broken).
    const sizes = await reply()
      .locator('figure.diagram img')
      .evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth > 50));
    expect(sizes).toEqual([true, true]);
    if (process.env['DIAGRAM_SCREENSHOT']) await page.screenshot({ path: process.env['DIAGRAM_SCREENSHOT'] });
    expect(await violations()).toEqual([]);
  });

  it('toggles a diagram to its source and back, from the keyboard', async () => {
    const figure = reply().locator('figure.diagram').first();
    const toggle = figure.locator('button.toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await figure.locator('pre').isVisible()).toBe(true);
    expect(await figure.locator('img').isVisible()).toBe(false);
    expect(await figure.locator('pre').textContent()).toContain('A[Browser tab] -->|send| R(Relay)');
    await page.keyboard.press('Enter');
    expect(await figure.locator('img').isVisible()).toBe(true);
    expect(await figure.locator('pre').isVisible()).toBe(false);
  });

  it('draws the same diagrams offline after one visit, from the service worker’s cache', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    // The worker caches every diagram file on the first diagram; wait until it holds the whole list.
    const total = await page.evaluate(async () => {
      const list = (await (await fetch('./diagram-assets.json')).json()) as { files: string[] };
      return list.files.length;
    });
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open('parley-diagrams')).keys()).length), {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(total);
    await page.close();
    page = await context.newPage();
    await context.setOffline(true);
    try {
      await page.goto(h.base);
      await expect
        .poll(async () => (await diagrams()).states, { timeout: 30_000 })
        .toEqual(['drawn', 'drawn', 'error']);
      expect(await violations()).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
  });

  it('shows the source and a readable error, soon, when the diagram renderer cannot load (offline before first use)', async () => {
    // A browser that never drew a diagram, whose network refuses mermaid's files: the frame's page comes, its script not.
    const fresh = await h.browser.newContext({ viewport: { width: 1000, height: 900 }, serviceWorkers: 'block' });
    try {
      await fresh.route(/\/assets\/diagram-frame-[\w-]+\.js$/, (route) => route.abort('internetdisconnected'));
      const p = await fresh.newPage();
      await p.goto(h.base);
      await p.locator('chat-composer textarea').fill('/diagram');
      await p.locator('chat-composer textarea').press('Enter');
      const md = p.locator('chat-view chat-message').last().locator('markdown-view');
      await expect
        .poll(() => md.locator('figure.diagram').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), {
          timeout: 15_000,
        })
        .toEqual(['error', 'error', 'error']);
      expect(await md.locator('.diagram-error').first().textContent()).toBe(
        'Diagram not drawn: The diagram renderer did not load (offline before its first use?)',
      );
      expect(await md.locator('figure.diagram pre').first().isVisible()).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
