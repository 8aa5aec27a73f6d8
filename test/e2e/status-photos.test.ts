import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../src/clock.ts';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { semesterContent } from '../helpers/content.ts';
import { startListeningTestApp, type startTestApp } from '../helpers/test-app.ts';
import { chat } from '../forms/form-chat.ts';
import { lisiFillsIn, sendImage } from '../records/photo-chat.ts';

/**
 * A record's photos on the status page, in a real headless browser: thumbnails on the record's page, each photo served
 * only to the admin's session (never at a public address), as the type its bytes were checked to be.
 */
describe.skipIf(!browserAvailable)('photos on the status page', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let base: string;
  const JPEG = readFileSync(new URL('../fixtures/photos/session-320x240.jpg', import.meta.url));
  const PNG = readFileSync(new URL('../fixtures/photos/room-200x150.png', import.meta.url));

  beforeAll(async () => {
    const clock = new ManualClock(Date.parse('2016-09-21T02:00:00Z'));
    ({ t, base } = await startListeningTestApp({
      clock,
      content: await semesterContent(),
      env: { STATUS_PAGE_SECRET: 'test-status-photos-secret-0123456789' },
    }));
    const image = sendImage(t, 'lisi');
    await lisiFillsIn(chat(t, 'lisi'), async () => {
      await image(JPEG);
      await image(PNG);
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the record’s page shows its photos as thumbnails the browser can draw; without the session a photo is refused', async () => {
    const link = /http:\/\/\S+/.exec((await t.wecomSide.sendText('dangban-wang', '管理页面')).passiveReply ?? '')![0];
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(link);
    await page.locator('a[href="/status/record/staff-teaching/2016-09-20"]').click();
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('现场照片（2 张）');
    const images = page.locator('.photos img');
    expect(await images.count()).toBe(2);
    // Drawn, not broken: the browser decoded each to its real size.
    await expect
      .poll(() =>
        images.evaluateAll((els) =>
          els.map((e) => [(e as unknown as { naturalWidth: number }).naturalWidth, (e as unknown as { naturalHeight: number }).naturalHeight]),
        ),
      )
      .toEqual([
        [320, 240],
        [200, 150],
      ]);
    const photo = await page.request.get(`${base}/status/photo/JL-20160920-001/1`);
    expect(photo.status()).toBe(200);
    expect(photo.headers()['content-type']).toBe('image/jpeg');
    expect(Buffer.from(await photo.body()).equals(JPEG)).toBe(true);
    expect((await page.request.get(`${base}/status/photo/JL-20160920-001/3`)).status()).toBe(404);
    await page.screenshot({ path: 'test/e2e/.status-photos.png', fullPage: true });
    await context.close();

    // Another browser, no session: the same address gives nothing of the photo.
    const stranger = await browser.newContext();
    const res = await stranger.request.get(`${base}/status/photo/JL-20160920-001/1`);
    expect(res.status()).toBe(401);
    expect(res.headers()['content-type']).toContain('text/html');
    await stranger.close();
  });
});
