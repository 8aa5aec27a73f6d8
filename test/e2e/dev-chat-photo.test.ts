import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable } from '../helpers/browser.ts';
import { serviceWithBrowser } from '../helpers/spawn-service.ts';

/**
 * The local chat page sends an image as a WeCom user does: the simulated WeCom takes it as media, the app gets the
 * image callback and fetches it with media/get. Here lisi fills in a record in the page and sends a photo and a file
 * that is no photo; the record's receipt counts the photo, and it is on disk in the service's data folder.
 */
describe.skipIf(!browserAvailable)('images from the local chat page', () => {
  const running = serviceWithBrowser({ BOT_NOW: '2016-09-21T10:00:00+08:00' });

  /** Sends a text from the page and waits for the bot's next answer in the conversation pane. */
  async function say(page: Page, text: string): Promise<string> {
    const before = await page.locator('#log .bot').count();
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('#log .bot').count(), { timeout: 10_000 }).toBeGreaterThan(before);
    return (await page.locator('#log .bot').last().textContent()) ?? '';
  }
  async function sendFile(page: Page, file: string): Promise<string> {
    const before = await page.locator('#log .bot').count();
    await page.setInputFiles('#photo', file);
    await expect.poll(() => page.locator('#log .bot').count(), { timeout: 10_000 }).toBeGreaterThan(before);
    return (await page.locator('#log .bot').last().textContent()) ?? '';
  }

  it('a photo sent during the form goes with the record; a file that is no image is refused politely', async () => {
    const page = await running.browser.newPage();
    await page.goto(`${running.svc.baseUrl}/dev/chat`);
    await expect.poll(() => page.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    await page.fill('#user', 'lisi');
    await say(page, '提交记录');
    await say(page, '好');
    await say(page, '好');
    const photo = fileURLToPath(new URL('../fixtures/photos/session-320x240.jpg', import.meta.url));
    expect(await sendFile(page, photo)).toContain('已收到现场照片（第 1 张）');
    expect(await page.locator('#log .me').last().textContent()).toContain('[图片] session-320x240.jpg');
    const notImage = path.join(mkdtempSync(path.join(tmpdir(), 'not-image-')), 'notice.jpg');
    writeFileSync(notImage, '这是一份通知，不是照片');
    expect(await sendFile(page, notImage)).toContain('收到的文件不是照片');
    for (const t of [
      '行政楼302',
      '10人',
      '无',
      '好',
      '1',
      '同学们结合专业学习实际，围绕诚信与信用体系建设展开了讨论，认为青年学生应当从按时还款做起。',
      '完成',
      '好',
    ])
      await say(page, t);
    const receipt = await say(page, '确认');
    expect(receipt).toContain('回执编号：JL-20160920-001');
    expect(receipt).toContain('现场照片：1 张');
    const files = readdirSync(path.join(running.svc.dataDir, 'photos', 'files'));
    expect(files).toHaveLength(1);
    expect(readFileSync(path.join(running.svc.dataDir, 'photos', 'files', files[0]!)).equals(readFileSync(photo))).toBe(true);
  });

  it('the image endpoint answers bad requests with a 4xx and the reason', async () => {
    const post = (body: unknown) =>
      fetch(`${running.svc.baseUrl}/dev/chat/image`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post({ user: 'lisi', data: '不是base64!' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: '图片应为 base64 编码' });
    const empty = await post({ user: 'lisi', data: '' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: '图片不能为空' });
    expect((await post({ user: '../x', data: 'AAAA' })).status).toBe(400);
  });
});
