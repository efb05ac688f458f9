// Screenshots of issue 17's features (used by screenshots.mjs): math and diagrams in a reply, the image viewer
// zoomed in on a diagram, and the keyboard shortcuts dialog (opened with "?"), desktop and phone.

export async function featureScreenshots(browser, base, out, send) {
  const devices = {
    desktop: { viewport: { width: 1280, height: 860 } },
    phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  };
  for (const [device, options] of Object.entries(devices)) {
    for (const theme of ['light', 'dark']) {
      const context = await browser.newContext({ ...options, colorScheme: theme });
      const page = await context.newPage();
      const shot = async (name) => {
        await page.waitForTimeout(300);
        await page.screenshot({ path: new URL(`features-${name}-${device}-${theme}.png`, out).pathname });
      };
      await page.goto(base);
      await page.locator('chat-composer textarea').waitFor();
      await page.evaluate(() => (location.hash = `#/c/c-features${Date.now().toString(36)}`));
      const last = () => page.locator('chat-view chat-message').last();

      await send(page, '/math');
      await last().locator('[data-tex] .katex-html').first().waitFor();
      await page.evaluate(() => document.fonts.ready);
      await last().locator('h3').scrollIntoViewIfNeeded();
      await shot('math');

      await send(page, '/diagram');
      await last().locator('figure.diagram[data-state="error"]').waitFor({ timeout: 30_000 });
      await last().locator('h3').scrollIntoViewIfNeeded();
      await shot('diagram');
      await last().locator('figure.diagram[data-state="error"]').scrollIntoViewIfNeeded();
      await shot('diagram-error');

      const diagram = last().locator('figure.diagram img').first();
      await diagram.focus();
      await page.keyboard.press('Enter');
      await page.locator('image-lightbox dialog[open] img').waitFor();
      await page.keyboard.press('+');
      await page.keyboard.press('+');
      await page.keyboard.press('ArrowRight');
      await shot('viewer-zoomed');
      await page.keyboard.press('Escape');

      await page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        el?.blur();
      });
      await page.keyboard.press('?');
      await page.locator('shortcuts-dialog dialog[open]').waitFor();
      await shot('shortcuts');
      await page.keyboard.press('Escape');
      console.log(`${device} ${theme}: features`);
      await context.close();
    }
  }
}
