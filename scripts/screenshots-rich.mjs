// Screenshots of issue 5's features (used by screenshots.mjs), driven from the keyboard where a user would, with
// where focus is after each step printed, so a focus that goes missing shows up in the log.

/** The focused element, inside shadow roots: `tag "label"`. */
function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const label = el?.getAttribute('aria-label') ?? el?.textContent?.trim().slice(0, 40) ?? '';
    return `${el?.tagName.toLowerCase()} "${label}"`;
  });
}

/** A 960×600 picture drawn in the page (a nicer subject for the lightbox than a single pixel). */
function picture(page, hue) {
  return page.evaluate(async (h) => {
    const c = document.createElement('canvas');
    c.width = 960;
    c.height = 600;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 960, 600);
    grad.addColorStop(0, `hsl(${h} 70% 55%)`);
    grad.addColorStop(1, `hsl(${h + 60} 70% 35%)`);
    g.fillStyle = grad;
    g.fillRect(0, 0, 960, 600);
    g.fillStyle = 'rgb(255 255 255 / 0.85)';
    for (let i = 0; i < 9; i++) {
      g.beginPath();
      g.arc(120 + i * 95, 300 + Math.sin(i) * 120, 30 + i * 4, 0, Math.PI * 2);
      g.fill();
    }
    const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
    return [...new Uint8Array(await blob.arrayBuffer())];
  }, hue);
}

export async function richScreenshots(browser, base, out, send) {
  const devices = {
    desktop: { viewport: { width: 1280, height: 800 } },
    phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  };
  for (const [device, options] of Object.entries(devices)) {
    for (const theme of ['light', 'dark']) {
      const context = await browser.newContext({ ...options, colorScheme: theme });
      const page = await context.newPage();
      const shot = async (name) => {
        await page.waitForTimeout(250);
        await page.screenshot({ path: new URL(`rich-${name}-${device}-${theme}.png`, out).pathname });
        console.log(`${device} ${theme} ${name}: focus on ${await focused(page)}`);
      };
      await page.goto(base);
      const box = page.locator('chat-composer textarea');
      await box.waitFor();
      // Each run starts a chat of its own (the demo relay keeps every run's chats).
      await page.evaluate(() => (location.hash = `#/c/c-shots${Date.now().toString(36)}`));
      await send(page, 'Plan a kumquat tasting for Saturday');
      await send(page, '/tool');

      // Composer with attached previews (an image and a text file).
      const shapes = Buffer.from(await picture(page, 200));
      const sunset = Buffer.from(await picture(page, 10));
      await page.locator('chat-composer input[type=file]').setInputFiles([
        { name: 'orchard.png', mimeType: 'image/png', buffer: shapes },
        { name: 'sunset.png', mimeType: 'image/png', buffer: sunset },
        { name: 'kumquat-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Kumquats: eat the peel.') },
      ]);
      await box.fill('Photos from the kumquat orchard, and my notes');
      await box.focus();
      await shot('composer-files');
      await box.press('Enter');
      await send(page, '/reasoning', 'none');
      await page.waitForFunction(() => {
        const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
        const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
        const last = list[list.length - 1];
        return last?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null && list.length >= 8;
      });

      // The lightbox: Enter on a thumbnail, an arrow to the next image.
      const thumb = page.locator('message-attachments button.thumb').first();
      await thumb.scrollIntoViewIfNeeded();
      await thumb.focus();
      await page.keyboard.press('Enter');
      await page.locator('image-lightbox dialog[open] img').waitFor();
      await page.keyboard.press('ArrowRight');
      await shot('lightbox');
      await page.keyboard.press('Escape');
      console.log(`  after Esc: ${await focused(page)}`);

      // Pin two messages, open the pinned list.
      for (const n of [0, 3]) {
        const m = page.locator('chat-view chat-message').nth(n);
        await m.hover();
        await m.getByRole('button', { name: 'Pin message' }).click();
      }
      await page.getByRole('button', { name: /Pinned messages/ }).click();
      await page.locator('pinned-list button.go').first().waitFor();
      await page.keyboard.press('Tab');
      await shot('pinned');
      await page.keyboard.press('Escape');
      console.log(`  after Esc: ${await focused(page)}`);

      // Search: Ctrl+K from the message field, type, arrow down.
      await box.focus();
      await page.keyboard.press('Control+k');
      await page.locator('search-dialog input').waitFor();
      await page.keyboard.type('kumquat');
      await page.locator('search-dialog li[role=option]').first().waitFor();
      await page.keyboard.press('ArrowDown');
      await shot('search');
      await page.keyboard.press('Escape');
      console.log(`  after Esc: ${await focused(page)}`);

      // Export and import, with the Markdown preview; Tab walks the dialog.
      await page.getByRole('button', { name: 'Export and import' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('data-dialog dialog[open]').waitFor();
      const order = [];
      for (let i = 0; i < 8; i++) {
        order.push(await focused(page));
        await page.keyboard.press('Tab');
      }
      console.log(`  data dialog Tab order: ${order.join(' → ')}`);
      await page.getByRole('button', { name: 'Preview Markdown' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('data-dialog pre').waitFor();
      await shot('data');
      await page.keyboard.press('Escape');
      console.log(`  after Esc: ${await focused(page)}`);
      await context.close();
    }
  }
}
