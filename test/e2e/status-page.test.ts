import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../src/clock.ts';
import { signToken } from '../../src/http/signed-token.ts';
import { browserAvailable, launchBrowser, type InPage } from '../helpers/browser.ts';
import { semesterContent } from '../helpers/content.ts';
import { startListeningTestApp, type startTestApp } from '../helpers/test-app.ts';

/** The status page in a real headless browser, reached the way an admin does: the link the bot gives in chat. */
describe.skipIf(!browserAvailable)('the status page', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let base: string;
  const secret = 'test-status-page-secret-0123456789';

  beforeAll(async () => {
    const clock = new ManualClock(Date.parse('2016-10-03T02:00:00Z'));
    ({ t, base } = await startListeningTestApp({ clock, content: await semesterContent(), env: { STATUS_PAGE_SECRET: secret } }));
    await t.store.submissions.save({
      groupId: 'staff-office',
      session: '2016-09-20',
      submittedBy: 'zhangsan',
      submittedAt: Date.parse('2016-09-21T02:00:00Z'),
      fields: { place: '行政楼302', summary: '大家围绕八项规定展开讨论。', attendees: { count: 12, names: [] } },
      idempotencyKey: 'a',
    });
    await t.store.submissions.save({
      groupId: 'staff-teaching',
      session: '2016-09-27',
      submittedBy: 'lisi',
      submittedAt: Date.parse('2016-10-02T02:00:00Z'),
      fields: { place: '教学楼' },
      idempotencyKey: 'b',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const linkFor = async (user: string) => {
    const r = await t.wecomSide.sendText(user, '管理页面');
    return /http:\/\/\S+/.exec(r.passiveReply ?? '')?.[0];
  };

  it('an admin opens the link from the chat: the matrix, filters, a record, the CSV; the session cookie is HttpOnly and Strict', async () => {
    const link = await linkFor('dangban-wang');
    expect(link).toMatch(new RegExp(`^${base}/status\\?token=`));
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone
    const page = await context.newPage();
    const res = await page.goto(link!);
    expect(res!.status()).toBe(200);
    expect(res!.headers()).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    await expect.poll(() => page.url()).toBe(`${base}/status`); // the token left the address bar
    await expect.poll(() => page.locator('h1').textContent()).toContain('学习讨论记录提交情况 · 2016年秋季学期');
    const text = await page.locator('table').innerText();
    expect(text).toContain('院办党支部学习组');
    // At this width the header row is hidden; each line of a group's card carries its session's label.
    expect(await page.locator('td[data-label="9月20日 政治理论学习"]').count()).toBe(3);
    expect(text).toContain('已提交 9月21日 10:00');
    expect(text).toContain('逾期提交 10月2日 10:00');
    expect(text).toContain('未交');
    // 业务学习活动 (9月6日, 9月27日) is owed by the two staff groups, 政治理论学习 by all three: 7 records.
    expect(await page.locator('.sum').innerText()).toContain('已提交 2 / 应提交 7');
    expect(text).toContain('不需提交');
    await page.screenshot({ path: 'test/e2e/.status-page.png', fullPage: true });

    const cookie = (await context.cookies()).find((c) => c.name === 'status_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.selectOption('select[name=kind]', 'student');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('table').innerText()).not.toContain('院办党支部学习组');
    expect(await page.locator('table').innerText()).toContain('会计专业学生学习组');

    await page.goto(`${base}/status`);
    await page.click('a.ok');
    await expect.poll(() => page.locator('h1').textContent()).toContain('院办党支部学习组 · 2016-09-20');
    expect(await page.locator('table').innerText()).toContain('行政楼302');

    const csv = await page.request.get(`${base}/status/export.csv?month=9`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const body = await csv.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8')).toContain('院办党支部学习组,教职工,张三,未交,2016-09-21 10:00 JL-20160920-001,未交');
    await context.close();
  });

  it('an expired link, a forged or non-admin token, and no link are refused in Chinese', async () => {
    const link = (await linkFor('dangban-li'))!;
    t.clock.advance(16 * 60_000);
    const page = await browser.newPage();
    const expired = await page.goto(link);
    expect(expired!.status()).toBe(403);
    expect(await page.textContent('body')).toContain('链接已过期（有效期 15 分钟）');
    // A correctly signed token for someone who is not an admin.
    const notAdmin = signToken(secret, { u: 'zhangsan', exp: t.clock.now() + 60_000, k: 'link' });
    expect((await page.goto(`${base}/status?token=${notAdmin}`))!.status()).toBe(403);
    expect(await page.textContent('body')).toContain('本页面仅限党委办公室的管理员使用');
    const forged = signToken('another-secret-xxxxxxxxxxxxxxxx', { u: 'dangban-wang', exp: t.clock.now() + 60_000, k: 'link' });
    expect((await page.goto(`${base}/status?token=${forged}`))!.status()).toBe(403);
    expect((await page.goto(`${base}/status`))!.status()).toBe(401);
    expect(await page.textContent('body')).toContain('发送“管理页面”');
    await page.close();
    // And in chat, a non-admin asking for the page gets no link.
    expect(await linkFor('zhangsan')).toBeUndefined();
  });

  // Runs in the page: the DOM's globals, which this project's TypeScript (no DOM lib) does not know.
  it('on a phone a card per group, 未到期 grey and 未交 red; on a desktop the table; a record shows its revision history', async () => {
    // Thursday 22 September: 9月20日 is due (and missing for most groups), 9月27日 not yet.
    t.clock.set(Date.parse('2016-09-22T02:00:00Z'));
    await t.store.submissions.save({
      groupId: 'staff-office',
      session: '2016-09-20',
      submittedBy: 'dangban-wang',
      submittedAt: Date.parse('2016-09-22T01:00:00Z'),
      fields: { place: '行政楼305', summary: '大家围绕八项规定展开讨论。', attendees: { count: 12, names: [] } },
      idempotencyKey: 'c',
    });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await phone.newPage();
    await page.goto((await linkFor('dangban-wang'))!);
    await expect.poll(() => page.url()).toBe(`${base}/status`);
    // Nothing wider than the screen, no header row: each group is a card of labelled lines.
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('thead').isVisible()).toBe(false);
    expect(
      await page
        .locator('tbody tr')
        .first()
        .evaluate((el) => (globalThis as unknown as InPage).getComputedStyle(el).display),
    ).toBe('block');
    const due = page.locator('td.due').first();
    const missing = page.locator('td.miss').first();
    expect(await due.innerText()).toBe('未到期');
    expect(await missing.innerText()).toBe('未交');
    // The count agrees with the chat's 统计: of 9月27日 only the record already there (saved above) counts; the staff
    // group without one is 未到期, not missing, and the student group owes none (业务学习活动).
    expect(await page.locator('.sum').innerText()).toContain('已提交 2 / 应提交 6，未到期 1');
    const colour = (el: unknown) => (globalThis as unknown as InPage).getComputedStyle(el).color;
    expect(await due.evaluate(colour)).toBe('rgb(107, 114, 128)'); // neutral grey
    expect(await missing.evaluate(colour)).toBe('rgb(198, 40, 40)'); // the red of 未交 only
    expect(await due.evaluate((el) => (globalThis as unknown as InPage).getComputedStyle(el, '::before').content)).toBe('"9月27日 业务学习活动"');
    await page.screenshot({ path: 'test/e2e/.status-page-390.png', fullPage: true });

    await page.click('a.ok');
    await expect.poll(() => page.locator('h1').textContent()).toContain('院办党支部学习组 · 2016-09-20');
    const history = await page.locator('.hist').innerText();
    expect(await page.locator('h2').innerText()).toBe('修改历史（共 2 版）');
    expect(history).toMatch(/第 2 版（当前） · 9月22日 09:00 · 王老师（党委宣传部）\s+修改了：地点/);
    expect(history).toMatch(/第 1 版 · 9月21日 10:00 · 张三\s+首次提交/);
    await page.click('details summary');
    expect(await page.locator('details pre').innerText()).toContain('地点：行政楼302');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test/e2e/.status-record-390.png', fullPage: true });
    await phone.close();

    const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const wide = await desktop.newPage();
    await wide.goto((await linkFor('dangban-wang'))!);
    await expect.poll(() => wide.url()).toBe(`${base}/status`);
    expect(await wide.locator('thead').isVisible()).toBe(true);
    expect(
      await wide
        .locator('tbody tr')
        .first()
        .evaluate((el) => (globalThis as unknown as InPage).getComputedStyle(el).display),
    ).toBe('table-row');
    await wide.screenshot({ path: 'test/e2e/.status-page-1280.png', fullPage: true });
    await desktop.close();
  });
});
