/**
 * The image viewer end to end, in the relay-served app under its CSP: the demo's image file and a diagram from
 * agent markdown open in the same viewer, zoom with keys, buttons and the wheel, pan with the arrows, and
 * download under their own names; no violation.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let context: BrowserContext;
let page: Page;

const violations = (): Promise<string[]> => page.evaluate(() => [...(Reflect.get(window, '__csp') as string[])]);
const viewer = () => page.locator('image-lightbox dialog[open]');
const zoom = () => viewer().locator('output').textContent();
const transform = () =>
  viewer()
    .locator('.stage img')
    .evaluate((img) => (img as HTMLImageElement).style.transform);

async function send(text: string): Promise<void> {
  await page.locator('chat-composer textarea').fill(text);
  await page.locator('chat-composer textarea').press('Enter');
  await page.waitForFunction(() => {
    const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
    const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
    return list[list.length - 1]?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
  });
}

beforeAll(async () => {
  h = await startHarness();
  context = await h.browser.newContext({ viewport: { width: 1000, height: 800 }, acceptDownloads: true });
  await context.addInitScript(() => {
    const seen: string[] = [];
    Reflect.set(window, '__csp', seen);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  page = await context.newPage();
  await page.goto(h.base);
});

afterAll(async () => {
  await h?.close();
});

describe('the image viewer', { timeout: 60_000 }, () => {
  it('zooms an image file with + − 0, the buttons and the wheel, pans with the arrows, downloads it by name', async () => {
    await send('/image');
    const thumb = page.locator('chat-view chat-message').last().locator('message-attachments button.thumb');
    await thumb.focus();
    await page.keyboard.press('Enter');
    await viewer().locator('img').waitFor();
    expect(await zoom()).toBe('100%');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    expect(await zoom()).toBe('156%');
    await page.keyboard.press('ArrowLeft');
    expect(await transform()).toBe('translate(60px, 0px) scale(1.5625)');
    await page.keyboard.press('-');
    expect(await zoom()).toBe('125%');
    await page.keyboard.press('0');
    expect(await zoom()).toBe('100%');
    await viewer().locator('button.zoom-in').click();
    expect(await zoom()).toBe('125%');
    await viewer().locator('button.fit').click();
    const box = await viewer().locator('.stage img').boundingBox();
    if (!box) throw new Error('the image has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => Number.parseInt((await zoom()) ?? '0', 10)).toBeGreaterThan(150);
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    expect(await zoom()).toBe('100%');
    const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('d')]);
    expect(file.suggestedFilename()).toBe('parley-demo.png');
    const [again] = await Promise.all([page.waitForEvent('download'), viewer().locator('button.download').click()]);
    expect(again.suggestedFilename()).toBe('parley-demo.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => viewer().count()).toBe(0);
    expect(await violations()).toEqual([]);
  });

  it('opens a diagram from agent markdown in the same viewer, zooms it and downloads it as SVG', async () => {
    await send('/diagram');
    const diagram = page.locator('chat-view chat-message').last().locator('figure.diagram img').first();
    await diagram.waitFor({ timeout: 30_000 });
    await diagram.focus();
    await page.keyboard.press('Enter');
    await viewer().locator('img').waitFor();
    expect(await viewer().locator('figcaption').textContent()).toContain('diagram.svg — 1 of 2');
    await page.keyboard.press('+');
    expect(await zoom()).toBe('125%');
    const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('d')]);
    expect(file.suggestedFilename()).toBe('diagram.svg');
    const saved = await file.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(saved, 'utf8')).toMatch(/^<svg[\s\S]*Browser tab[\s\S]*<\/svg>$/);
    await page.keyboard.press('Escape');
    expect(await violations()).toEqual([]);
  });
});
