/**
 * The relay-served app under its own Content-Security-Policy (Trusted Types included), in Chromium:
 * every feature the demo agent shows works and the browser reports no violation at all.
 */

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../relay/http/static-files.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let context: BrowserContext;
let page: Page;
/** Console errors and uncaught page errors that mention the policy or Trusted Types. */
const policyErrors: string[] = [];

const POLICY_TEXT = /content security policy|trusted ?type|refused to/i;

function watch(p: Page): void {
  p.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' && POLICY_TEXT.test(m.text())) policyErrors.push(m.text());
  });
  p.on('pageerror', (e) => {
    if (POLICY_TEXT.test(e.message)) policyErrors.push(e.message);
  });
}

/** What the page's `securitypolicyviolation` listener (installed before any of its scripts) recorded. */
const violations = (): Promise<string[]> => page.evaluate(() => [...(Reflect.get(window, '__csp') as string[])]);

const composer = () => page.locator('chat-composer textarea');
const lastMessage = () => page.locator('chat-view chat-message').last();

async function send(text: string): Promise<void> {
  await composer().fill(text);
  await composer().press('Enter');
}

async function replyFinished(): Promise<void> {
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    const last = list[list.length - 1];
    return last?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

/** True once an image has decoded (a blocked or broken one has no natural width). */
const decoded = (img: ReturnType<Page['locator']>) =>
  img.evaluate((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0);

beforeAll(async () => {
  h = await startHarness();
  context = await h.browser.newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(h.base).origin });
  await context.addInitScript(() => {
    const seen: string[] = [];
    Reflect.set(window, '__csp', seen);
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  page = await context.newPage();
  watch(page);
});

afterAll(async () => {
  await h?.close();
});

describe('the app under the relay’s Content-Security-Policy', () => {
  it('is served with the policy, Trusted Types included', async () => {
    const response = await page.goto(h.base);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("require-trusted-types-for 'script'");
    await composer().waitFor();
    await expect.poll(() => page.locator('connection-status button').textContent()).toContain('Connected');
  });

  it('runs the tour: markdown, code with a working copy button, an image from the agent, buttons', async () => {
    await send('/tour');
    await replyFinished();
    const reply = lastMessage();
    expect(await reply.locator('markdown-view h3').first().textContent()).toBeTruthy();
    const thumb = reply.locator('message-attachments img');
    await expect.poll(() => thumb.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => decoded(thumb)).toBe(true);

    const code = (await reply.locator('markdown-view pre').first().textContent()) ?? '';
    await reply.locator('markdown-view button.copy').first().click();
    await expect.poll(() => reply.locator('markdown-view button.copy').first().textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

    await reply.locator('message-attachments button.thumb').click();
    // The app's lightbox (loaded on first use) shows it.
    const big = page.locator('image-lightbox dialog[open] img');
    await expect.poll(() => decoded(big)).toBe(true);
    await page.locator('image-lightbox button.close').click();

    await reply.locator('message-buttons button').first().click();
    await replyFinished();
  });

  it('shows an image file and downloads a text file', async () => {
    await send('/image');
    await replyFinished();
    await expect.poll(() => decoded(lastMessage().locator('message-attachments img'))).toBe(true);

    await send('/file');
    await replyFinished();
    const link = lastMessage().locator('message-attachments a.file');
    await expect.poll(() => link.getAttribute('href')).toMatch(/^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.(md|txt)$/);
  });

  it('presses an agent button and gets the next reply', async () => {
    await send('/buttons');
    await replyFinished();
    const before = await page.locator('chat-view chat-message').count();
    await lastMessage().locator('message-buttons button').first().click();
    await expect.poll(() => page.locator('chat-view chat-message').count()).toBeGreaterThan(before);
    await replyFinished();
  });

  it('sends a picture of the user’s own, shown from a blob: URL', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
      'base64',
    );
    await page
      .locator('chat-composer input[type=file]')
      .setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
    await send('a picture');
    await replyFinished();
    const mine = page.locator('chat-view chat-message').nth(-2).locator('message-attachments img');
    await expect.poll(() => decoded(mine)).toBe(true);
  });

  it('opens the settings (a lazily loaded chunk)', async () => {
    await page.locator('parley-app button[aria-label="Settings"]').click();
    await page.locator('settings-dialog dialog[open]').waitFor();
    await page.keyboard.press('Escape');
  });

  it('registers the service worker, reads the manifest, and reopens from the worker’s cache', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data?: string };
    expect(manifest.url).toMatch(/manifest\.webmanifest$/);
    expect(manifest.errors).toEqual([]);
    expect(manifest.data).toContain('Parley');
    await cdp.detach();

    await page.reload();
    await composer().waitFor();
    await expect.poll(() => page.locator('connection-status button').textContent()).toContain('Connected');
    await expect.poll(() => decoded(page.locator('chat-view message-attachments img').last())).toBe(true);
  });

  it('reported no violation, and the policy is really enforced', async () => {
    expect(await violations()).toEqual([]);
    expect(policyErrors).toEqual([]);
    // Proof that Trusted Types are on: a plain string no longer reaches an HTML sink.
    const sink = await page.evaluate(() => {
      try {
        document.createElement('div').innerHTML = '<b>x</b>';
        return 'accepted';
      } catch (e) {
        return e instanceof TypeError ? 'refused' : String(e);
      }
    });
    expect(sink).toBe('refused');
    await expect.poll(violations).toEqual([expect.stringMatching(/^require-trusted-types-for/)]);
  });
});

describe('the policy for static hosts', () => {
  it('is the relay’s, in public/_headers, with connect-src open to the relay the user picks', () => {
    const headers = readFileSync(new URL('../../public/_headers', import.meta.url), 'utf8');
    const policy = /^\s+Content-Security-Policy: (.+)$/m.exec(headers)?.[1];
    expect(policy).toBe(CONTENT_SECURITY_POLICY.replace("connect-src 'self'", "connect-src 'self' https: wss:"));
  });
});
