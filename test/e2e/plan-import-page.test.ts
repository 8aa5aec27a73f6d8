import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { loadContent } from '../../src/content/content.ts';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { docxOf } from '../helpers/docx.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';
import { FIXTURE_CONTENT } from '../helpers/content.ts';

/**
 * 导入学习计划 on the status page in a real headless browser, no script on the page: from the status page's button,
 * a notice pasted into the form, the report, a date filled in, 确认导入; then a .docx chosen in the file input. Staff
 * are answered from both plans in chat.
 */
const notice = (file: string) => readFileSync(fileURLToPath(new URL(`../fixtures/notices/tuning/${file}`, import.meta.url)), 'utf8');
const at = (day: string) => Date.parse(`${day}T10:00:00+08:00`);

describe.skipIf(!browserAvailable)('导入学习计划 on the status page, in a browser', () => {
  const clock = new ManualClock(at('2023-03-06'));
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, content: await loadContent(FIXTURE_CONTENT), env: { STATUS_PAGE_SECRET: 'test-status-page-secret-0123456789' } });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an admin pastes a notice, adds its date, confirms; then uploads a .docx', { timeout: 30_000 }, async () => {
    const link = /http\S+/.exec(await askApp(t, 'dangban-wang', '管理页面'))![0];
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/status${new URL(link).search}`);
    await page.click('text=导入学习计划');
    await expect.poll(() => page.url()).toBe(`${base}/status/import`);

    await page.fill('textarea[name=text]', notice('2023-03-themes-focus-links.txt'));
    await page.click('button:has-text("识别")');
    expect(await page.locator('pre').innerText()).toContain('通知中没有写明：学习时间');
    await page.fill('input[name=dates]', '3月16日');
    await page.click('button:has-text("按补充内容重新识别")');
    expect(await page.locator('pre').innerText()).toContain('学习时间：2023-03-16');
    await page.click('button:has-text("确认导入")');
    expect(await page.locator('body').innerText()).toContain('已导入');
    expect(await askApp(t, 'zhaoliu', '3月16日学什么')).toContain('3月16日（星期四，第3周） 政治理论学习');

    const dir = mkdtempSync(path.join(tmpdir(), 'notice-'));
    const file = path.join(dir, '2023年6月学习通知.docx');
    writeFileSync(file, await docxOf(notice('2023-06-single-date-questions.txt')));
    await page.setInputFiles('input[type=file]', file);
    await page.click('button:has-text("上传并识别")');
    expect(await page.locator('pre').innerText()).toContain('学习时间：2023-06-20');
    await page.click('button:has-text("确认导入")');
    const list = await page.locator('table').innerText();
    expect(list).toContain('2023-03');
    expect(list).toContain('关于2023年6月政治理论学习安排的通知');
    clock.set(at('2023-06-19'));
    expect(await askApp(t, 'zhaoliu', '学生讨论题')).toContain('青年学生如何发挥自身优势');
  });
});
