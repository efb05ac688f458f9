/**
 * Math in a reply, in the relay-served app under its CSP with Trusted Types: the demo's `/math` reply is
 * typeset by KaTeX (fonts loaded, TeX kept, prices and code left alone, a bad formula readable), with no
 * violation, and again offline from the service worker's cache after one visit.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let context: BrowserContext;
let page: Page;

const reply = () => page.locator('chat-view chat-message').last().locator('markdown-view');
const violations = (): Promise<string[]> => page.evaluate(() => [...(Reflect.get(window, '__csp') as string[])]);

async function replyFinished(): Promise<void> {
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    return list[list.length - 1]?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

/** What the reader sees of the math: each formula's TeX, whether KaTeX drew it, and the KaTeX font in use. */
async function mathShown(): Promise<{ tex: string[]; drawn: number; errors: string[]; text: string; font: boolean }> {
  const md = reply();
  return {
    tex: await md.locator('[data-tex]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tex') ?? '')),
    drawn: await md.locator('[data-tex] .katex-html').count(),
    errors: await md.locator('.katex-error').allTextContents(),
    text: (await md.locator('.md').textContent()) ?? '',
    font: await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some((f) => f.family.includes('KaTeX_Main') && f.status === 'loaded');
    }),
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

describe('math in a reply', () => {
  it('typesets the demo’s /math reply with KaTeX under the CSP, prices and code left as text', async () => {
    await page.goto(h.base);
    await page.locator('chat-composer textarea').fill('/math');
    await page.locator('chat-composer textarea').press('Enter');
    await replyFinished();
    await expect.poll(async () => (await mathShown()).drawn).toBe(4);
    const shown = await mathShown();
    expect(shown.tex).toEqual([
      'e^{i\\pi} + 1 = 0',
      'a^2 + b^2 = c^2',
      '\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}',
      '\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}',
      '\\frac{1}{',
    ]);
    expect(shown.errors).toEqual(['\\frac{1}{']);
    expect(shown.text).toContain('the pen costs $5 and the book $10');
    expect(await reply().locator('code').allTextContents()).toEqual(['$HOME', '$x$']);
    expect(shown.font).toBe(true);
    if (process.env['MATH_SCREENSHOT']) await page.screenshot({ path: process.env['MATH_SCREENSHOT'] });
    expect(await violations()).toEqual([]);
  });

  it('renders the same math offline after one visit, from the service worker’s cache', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    // A fresh page, so nothing of KaTeX is left in memory: chunk, styles and fonts come from the cache.
    await page.close();
    page = await context.newPage();
    await context.setOffline(true);
    try {
      await page.goto(h.base);
      await expect.poll(async () => (await mathShown()).drawn).toBe(4);
      expect((await mathShown()).font).toBe(true);
      expect(await violations()).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
  });
});
