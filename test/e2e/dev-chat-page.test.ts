import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserAvailable, type InPage, type InPageElement } from '../helpers/browser.ts';
import { serviceWithBrowser } from '../helpers/spawn-service.ts';

describe.skipIf(!browserAvailable)('the local chat page in a real browser', () => {
  // Inside the seed semester, so an admin's 补发本周推送 has a week to push.
  const running = serviceWithBrowser({ BOT_NOW: '2016-09-21T10:00:00+08:00' });

  it('greets on open, and a person typing 帮助 sees the menu', async () => {
    const page = await running.browser.newPage();
    await page.goto(`${running.svc.baseUrl}/dev/chat`);
    await expect.poll(() => page.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    await page.fill('#text', '帮助');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('#log .me').last().textContent()).toContain('帮助');
    await expect.poll(() => page.locator('#log .bot').last().textContent(), { timeout: 5000 }).toContain('发送“帮助”或“菜单”');
    await page.screenshot({ path: 'test/e2e/.dev-chat.png' }).catch(() => {});
  });

  it("on a phone: fits 390 px, offers the roster's people with their roles, and names pushed groups as content does", async () => {
    const context = await running.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${running.svc.baseUrl}/dev/chat`);
    await expect.poll(() => page.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    const width = () => page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(390);
    for (const box of ['#chat', '#groups', '#text', '#form button', '#grouptext', '#groupform button']) {
      const b = (await page.locator(box).boundingBox())!;
      expect(b.x + b.width, box).toBeLessThanOrEqual(390);
    }
    // The picker: every person of content/roster.yaml, with their role.
    const options = await page
      .locator('#people option')
      .evaluateAll((os) => os.map((o) => `${(o as unknown as InPageElement).value} ${(o as unknown as InPageElement).label}`));
    expect(options).toEqual([
      'dangban-wang 王老师（党委宣传部） · 管理员',
      'dangban-li 李老师（机关党工委） · 管理员',
      'zhangsan 张三 · 记录员（院办党支部学习组、教学系部学习组）',
      'lisi 李四 · 记录员（教学系部学习组）',
      'wangwu 王五 · 记录员（会计专业学生学习组）',
    ]);
    expect(await page.getAttribute('#user', 'list')).toBe('people');

    await page.fill('#user', 'dangban-wang');
    await page.fill('#text', '补发本周推送');
    await page.press('#text', 'Enter');
    // The page polls once a second and the three targets are sent concurrently: wait until all three are shown.
    const names = ['管理学院教职工群（群机器人）', '管理学院学生学习组群（群机器人）', '党总支委员（应用消息）'];
    await expect
      .poll(
        async () => {
          const shown = await page.locator('#grouplog').innerText();
          return names.filter((n) => !shown.includes(n));
        },
        { timeout: 10_000 },
      )
      .toEqual([]);
    // Pushed markdown is rendered (bold), not shown as raw asterisks.
    expect(await page.locator('#grouplog b').count()).toBeGreaterThan(0);
    const groups = await page.locator('#grouplog').innerText();
    expect(groups).not.toContain('local-wecom_robot_key');
    // The endpoint also gives each markdown push as a WeCom client would show it, for the group pane to render.
    const { deliveries } = (await (await page.request.get(`${running.svc.baseUrl}/dev/chat/deliveries`)).json()) as {
      deliveries: Array<{ to: string; html?: string }>;
    };
    expect(deliveries.find((d) => d.to === '管理学院教职工群（群机器人）')?.html).toContain('<b>9月20日 星期二</b> 政治理论学习');
    expect(await width()).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test/e2e/.dev-chat-390.png', fullPage: true });

    // Every roster id fits the user box whole on a phone.
    for (const id of ['dangban-wang', 'dangban-li', 'zhangsan']) {
      await page.fill('#user', id);
      expect(
        await page.locator('#user').evaluate((el) => (el as unknown as InPageElement).scrollWidth <= (el as unknown as InPageElement).clientWidth),
        id,
      ).toBe(true);
    }
    await context.close();

    const desktop = await running.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const wide = await desktop.newPage();
    await wide.goto(`${running.svc.baseUrl}/dev/chat`);
    await expect.poll(() => wide.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    // A new tab is not shown the pushes the other tab already saw, as if they were new.
    await wide.waitForTimeout(1500);
    expect(await wide.locator('#grouplog').innerText()).not.toContain('管理学院学生学习组群（群机器人）');
    // Side by side on a wide screen, nothing cut: the user box shows the longest roster id whole.
    const [chat, pane] = [(await wide.locator('#chat').boundingBox())!, (await wide.locator('#groups').boundingBox())!];
    expect(pane.x).toBeGreaterThan(chat.x + chat.width - 1);
    expect(pane.x + pane.width).toBeLessThanOrEqual(1280);
    for (const id of ['dangban-wang', 'dangban-li', 'zhangsan']) {
      await wide.fill('#user', id);
      expect(
        await wide.locator('#user').evaluate((el) => (el as unknown as InPageElement).scrollWidth <= (el as unknown as InPageElement).clientWidth),
        id,
      ).toBe(true);
    }
    expect(await wide.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await wide.screenshot({ path: 'test/e2e/.dev-chat-1280.png' });
    await desktop.close();
  });

  it('asks the 智能机器人 in the group pane, renders pushed markdown, and a reload puts each message back in its own pane', async () => {
    const context = await running.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${running.svc.baseUrl}/dev/chat`);
    await expect.poll(() => page.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    await page.fill('#user', 'lisi');
    await page.fill('#grouptext', '第四十七条');
    await page.press('#grouptext', 'Enter');
    await expect.poll(() => page.locator('#grouplog .me').last().textContent()).toContain('@学习助手 第四十七条');
    await expect.poll(() => page.locator('#grouplog .bot').last().textContent(), { timeout: 10_000 }).toContain('《中华人民共和国高等教育法》第四十七条');
    // Personal business asked in the group gets the pointer, not the form.
    await page.fill('#grouptext', '提交记录');
    await page.press('#grouptext', 'Enter');
    await expect.poll(() => page.locator('#grouplog .bot').last().textContent(), { timeout: 10_000 }).toContain('请在与学习助手的单聊中发送');
    await page.fill('#text', '帮助');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('#log .bot').last().textContent(), { timeout: 10_000 }).toContain('发送“帮助”或“菜单”');
    const before = { log: await page.locator('#log .msg').count(), group: await page.locator('#grouplog .msg').count() };
    await page.reload();
    await expect.poll(() => page.locator('#grouplog .msg').count()).toBe(before.group);
    expect(await page.locator('#log .msg').count()).toBe(before.log);
    expect(await page.locator('#log').innerText()).not.toContain('第四十七条 高等学校实行教师职务制度');
    expect(await page.locator('#grouplog').innerText()).toContain('《中华人民共和国高等教育法》第四十七条');
    await page.screenshot({ path: 'test/e2e/.dev-chat-group-390.png', fullPage: true });
    await context.close();
  });

  it('makes links clickable and files downloadable, and takes the plain form of a browser without script', async () => {
    const context = await running.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${running.svc.baseUrl}/dev/chat`);
    await expect.poll(() => page.locator('#log .bot').first().textContent()).toContain('欢迎使用');
    await page.fill('#user', 'dangban-wang');
    await page.fill('#text', '管理页面');
    await page.press('#text', 'Enter');
    const link = page.locator('#log a[href*="/status"]').last();
    await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
    const href = new URL((await link.getAttribute('href'))!);
    expect(href.pathname).toBe('/status');
    expect(await link.getAttribute('target')).toBe('_blank');
    // The link is the status page (the service runs on a port of its own, PUBLIC_BASE_URL names PORT=0's).
    const opened = await context.newPage();
    await opened.goto(`${running.svc.baseUrl}${href.pathname}${href.search}`);
    expect(await opened.locator('body').innerText()).toContain('院办党支部学习组');
    await opened.close();

    await page.fill('#text', '导出');
    await page.press('#text', 'Enter');
    const file = page.locator('#log a.file').last();
    await expect.poll(() => file.count(), { timeout: 10_000 }).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('学习组');
    await context.close();

    // No script: the page's form posts urlencoded, and the answer is a page with the reply and the form again.
    const plain = await running.browser.newContext({ javaScriptEnabled: false });
    const noScript = await plain.newPage();
    await noScript.goto(`${running.svc.baseUrl}/dev/chat`);
    await noScript.fill('#user', 'zhaoliu');
    await noScript.fill('#text', '第四十七条');
    await noScript.press('#text', 'Enter');
    await noScript.waitForURL(`${running.svc.baseUrl}/dev/chat/send`);
    expect(await noScript.locator('body').innerText()).toContain('高等学校实行教师职务制度');
    await plain.close();
    // The same urlencoded post from anywhere else is refused: any site's form could send it.
    const foreign = await fetch(`${running.svc.baseUrl}/dev/chat/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      body: 'user=zhangsan&text=%E5%8F%96%E6%B6%88',
    });
    expect(foreign.status).toBe(403);
  });
});
