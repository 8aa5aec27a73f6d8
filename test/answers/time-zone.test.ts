import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * "Today" and "this week" are Shanghai's whatever the server's zone. At 2016-09-18T17:00Z it is still Sunday in UTC
 * (week 2) but already Monday 19 September, 01:00, in Shanghai (week 3).
 */
describe('relative dates use Asia/Shanghai', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(Date.parse('2016-09-18T17:00:00Z')), content: await semesterContent() });
  });
  afterAll(() => t.close());

  it("本周 is Shanghai's week", async () => {
    const r = await t.wecomSide.sendText('tz1', '本周安排');
    expect(r.passiveReply).toContain('本周（第3周），9月19日—9月25日的安排');
    expect(r.passiveReply).toContain('政治理论学习');
  });

  it("今天 is Shanghai's date", async () => {
    const r = await t.wecomSide.sendText('tz2', '今天有什么安排');
    expect(r.passiveReply).toContain('9月19日（星期一）没有安排学习活动');
  });

  it("下次 counts from Shanghai's today", async () => {
    const r = await t.wecomSide.sendText('tz3', '下次政治理论学习');
    expect(r.passiveReply).toContain('9月20日（星期二，第3周）');
  });
});
