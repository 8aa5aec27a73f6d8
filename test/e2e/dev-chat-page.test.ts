import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { spawnService, type RunningService } from '../helpers/spawn-service.ts';

describe.skipIf(!browserAvailable)('the local chat page in a real browser', () => {
  let svc: RunningService;
  let browser: Browser;
  beforeAll(async () => {
    [svc, browser] = await Promise.all([spawnService(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.stop();
  });

  it('greets on open, and a person typing 帮助 sees the menu', async () => {
    const page = await browser.newPage();
    await page.goto(`${svc.baseUrl}/dev/chat`);
    await expect.poll(() => page.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    await page.fill('#text', '帮助');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('#log .me').last().textContent()).toContain('帮助');
    await expect.poll(() => page.locator('#log .bot').last().textContent(), { timeout: 5000 }).toContain('发送“帮助”或“菜单”');
    await page.screenshot({ path: 'test/e2e/.dev-chat.png' }).catch(() => {});
  });
});
