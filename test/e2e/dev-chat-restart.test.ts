import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { spawnService, type RunningService } from '../helpers/spawn-service.ts';

/** How often `needle` occurs in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

// README tour step 4: a page opened before a restart shows the Monday push that the restarted service sends.
describe.skipIf(!browserAvailable)('the local chat page across a restart', () => {
  let svc: RunningService | undefined;
  let browser: Browser;
  beforeAll(async () => {
    [svc, browser] = await Promise.all([spawnService({ BOT_NOW: '2016-09-21T10:00:00+08:00' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.stop();
  });

  it('shows what came while the service was down exactly once, also after a reload; a new tab does not replay it', async () => {
    const first = svc!;
    const page = await browser.newPage();
    await page.goto(`${first.baseUrl}/dev/chat`);
    await expect.poll(() => page.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    // Week 3's push, sent before the restart: the page has shown journal numbers the new process must go on from.
    await page.fill('#user', 'dangban-wang');
    await page.fill('#text', '补发本周推送');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('#grouplog').innerText(), { timeout: 10_000 }).toContain('管理学院学生学习组群（群机器人）');
    await expect.poll(async () => occurrences(await page.locator('#grouplog').innerText(), '（群机器人）'), { timeout: 10_000 }).toBe(2);

    // Restart on the same address and data, a few seconds before Monday 8:00 of week 4.
    const port = new URL(first.baseUrl).port;
    expect(await first.stop()).toBe(0);
    svc = await spawnService({ BOT_NOW: '2016-09-26T07:59:56+08:00', PORT: port, DATA_DIR: first.dataDir });
    expect(svc.baseUrl).toBe(first.baseUrl);

    // Week 4's agenda (业务学习活动 on 9月27日) arrives in the open page, once per group robot.
    const week4 = '业务学习活动';
    await expect.poll(async () => occurrences(await page.locator('#grouplog').innerText(), week4), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const pushes = async () => page.locator('#grouplog .msg', { hasText: week4 }).count();
    const shown = await pushes();
    // A few more polls change nothing: nothing is shown twice.
    await page.waitForTimeout(2500);
    expect(await pushes()).toBe(shown);
    const groupsWithPush = await page.locator('#grouplog .msg', { hasText: week4 }).locator('.meta').allInnerTexts();
    expect(new Set(groupsWithPush).size).toBe(groupsWithPush.length);
    expect(groupsWithPush).toContain('webhook/send → 管理学院教职工群（群机器人）');

    // A reload shows the same, once.
    await page.reload();
    await expect.poll(pushes).toBe(shown);
    await page.waitForTimeout(1500);
    expect(await pushes()).toBe(shown);

    // A new tab shows only what comes from now on.
    const fresh = await browser.newPage();
    await fresh.goto(`${svc.baseUrl}/dev/chat`);
    await expect.poll(() => fresh.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    await fresh.waitForTimeout(1500);
    expect(await fresh.locator('#grouplog').innerText()).not.toContain(week4);
  });
});
