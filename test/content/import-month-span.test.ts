import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { loadContent } from '../../src/content/content.ts';
import { importPlanText } from '../../src/content/import/plan-text.ts';
import { FIXTURE_CONTENT } from '../helpers/content.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';

/**
 * Issue 19: a notice for two months (3—4月 / 2017年3月至4月) with dated session lines that name the activity, the
 * time of day and the place. Read as a span over both months, every session kept with what its line says; a day
 * left out is explained in words an office clerk uses; 补充日期 adds a day outside the period and the preview says so.
 */
const notice = readFileSync(fileURLToPath(new URL('../fixtures/notices/issues/2017-spring-march-april.txt', import.meta.url)), 'utf8');
const at = (day: string) => Date.parse(`${day}T10:00:00+08:00`);

/** A minimal notice whose only period is the line given, with one session per month named. */
const withPeriod = (line: string, sessions: string[]) =>
  [`关于${line}政治理论学习安排的通知`, '各党支部：', '一、学习时间', ...sessions, '二、学习内容', '1.《中国共产党章程》', '党委办公室', '2017年2月20日'].join('\n');

describe('a period over several months', () => {
  // Written as notices write it; each names 3 and 4 (or 11 to 1, over the new year).
  const spans: Array<[string, string, string]> = [
    ['2017年3—4月', '2017-03-01', '2017-04-30'],
    ['2017年3-4月', '2017-03-01', '2017-04-30'],
    ['2017年3月至4月', '2017-03-01', '2017-04-30'],
    ['2017年3月—4月', '2017-03-01', '2017-04-30'],
    ['2017年3月份到4月份', '2017-03-01', '2017-04-30'],
    ['2017年春季学期3—4月', '2017-03-01', '2017-04-30'],
    ['2017年2月至5月', '2017-02-01', '2017-05-31'],
    ['2016年11月至2017年1月', '2016-11-01', '2017-01-31'],
  ];
  it.each(spans)('%s runs from the first month’s first day to the last month’s last day', (line, from, to) => {
    const r = importPlanText(withPeriod(line, []), { id: 'x' });
    expect(r.plan.period).toMatchObject({ kind: 'span', from, to });
  });

  it('reads the period from the time section too (学习时间：2017年3月至4月)', () => {
    const text = ['关于政治理论学习安排的通知', '各党支部：', '一、学习时间', '学习时间：2017年3月份到4月份', '3月7日（星期二）下午 集中学习', '二、学习内容', '1.《中国共产党章程》'].join('\n');
    const r = importPlanText(text, { id: 'x' });
    expect(r.plan.period).toMatchObject({ kind: 'span', from: '2017-03-01', to: '2017-04-30' });
    expect(r.schedule.map((e) => e.date)).toEqual(['2017-03-07']);
    expect(r.problems).toEqual([]);
  });

  it('keeps a single month a month, and a date range (3月7日至4月11日) is not read as months', () => {
    expect(importPlanText(withPeriod('2017年4月', []), { id: 'x' }).plan.period).toMatchObject({ kind: 'month', from: '2017-04-01', to: '2017-04-30' });
    const dates = importPlanText(withPeriod('2017年3月7日至4月11日', ['3月7日（星期二）下午', '4月11日（星期二）下午']), { id: 'x' });
    expect(dates.plan.period?.kind).not.toBe('month');
    expect(dates.schedule.map((e) => e.date)).toEqual(['2017-03-07', '2017-04-11']);
  });

  it('keeps every dated session inside it, each with its activity, time of day and place', () => {
    const r = importPlanText(notice, { id: 'x' });
    expect(r.plan.period).toMatchObject({ kind: 'span', from: '2017-03-01', to: '2017-04-30', label: '2017年3月至4月' });
    expect(r.schedule.map((e) => [e.date, e.activity, e.note])).toEqual([
      ['2017-03-07', '集中学习', '下午，地点：各支部活动室'],
      ['2017-03-21', '支部专题研讨', '下午'],
      ['2017-04-11', '专题辅导报告', '下午，地点：行政楼报告厅'],
    ]);
    expect(r.problems).toEqual([]);
  });

  it('reads a clock time and a labelled place, and leaves a sentence after the date as the notice’s activity', () => {
    const r = importPlanText(withPeriod('2017年5月', ['5月9日 14:30 集中学习，地点：三楼会议室', '5月23日（星期二）各支部结合实际组织学习，并认真做好记录。']), { id: 'x' });
    expect(r.schedule.map((e) => [e.activity, e.note])).toEqual([
      ['集中学习', '14:30，地点：三楼会议室'],
      ['政治理论学习', undefined],
    ]);
  });

  it('explains a day outside the period in a clerk’s words, never in week arithmetic', () => {
    const r = importPlanText(withPeriod('2017年4月', ['3月7日（星期二）下午 集中学习', '4月11日（星期二）下午 专题辅导报告']), { id: 'x' });
    expect(r.schedule.map((e) => e.date)).toEqual(['2017-04-11']);
    expect(r.problems).toEqual(['3月7日不在本通知的学习期间（2017年4月）内，没有导入；如这天确有学习，可以发送“补充日期 3月7日”']);
    expect(r.problems.join()).not.toMatch(/周内|第 1 周从/);
  });

  it('takes a day the office adds outside the period, widening the period to it', () => {
    const r = importPlanText(withPeriod('2017年4月', ['3月7日（星期二）下午 集中学习', '4月11日（星期二）下午 专题辅导报告']), { id: 'x', dates: ['2017-03-07'] });
    expect(r.schedule.map((e) => [e.date, e.activity])).toEqual([
      ['2017-03-07', '集中学习'],
      ['2017-04-11', '专题辅导报告'],
    ]);
    expect(r.plan.period).toMatchObject({ from: '2017-03-07', to: '2017-04-30' });
    expect(r.problems).toEqual([]);
  });
});

describe('导入学习计划 of a two-month notice in chat (issue 19)', () => {
  const clock = new ManualClock(at('2017-03-01'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    app = await startTestApp({ clock, content: await loadContent(FIXTURE_CONTENT) });
  });
  afterAll(() => app?.close());
  const say = (user: string, text: string) => askApp(app, user, text);

  it('previews all three sessions, stores them, and staff hear each one’s activity, time and place', async () => {
    await say('dangban-wang', '导入学习计划');
    await say('dangban-wang', notice);
    const shown = await say('dangban-wang', '完成');
    expect(shown).toContain('期间：2017年3月至4月（2017-03-01 至 2017-04-30）');
    expect(shown).toContain('学习时间：2017-03-07；2017-03-21；2017-04-11');
    expect(shown).not.toContain('未能归类');
    expect(await say('dangban-wang', '确认')).toContain('已导入《关于2017年春季学期3—4月政治理论学习安排的通知》');
    clock.set(at('2017-04-11'));
    const today = await say('zhaoliu', '今天学啥');
    expect(today).toContain('专题辅导报告');
    expect(today).toContain('下午，地点：行政楼报告厅');
    expect(await say('zhaoliu', '本周安排')).toContain('专题辅导报告（下午，地点：行政楼报告厅）');
    // Asked where and when, the note answers it, and nothing says the notice did not write them.
    for (const question of ['专题辅导报告几点开始', '专题辅导报告在哪', '4月11日在哪里学习']) {
      const answer = await say('zhaoliu', question);
      expect(answer).toContain('专题辅导报告（下午，地点：行政楼报告厅）');
      expect(answer).not.toContain('没有写明地点');
    }
  });

  it('says plainly when 补充日期 adds a day, and when it cannot', async () => {
    clock.set(at('2017-03-01'));
    const april = notice.replace(/3—4月/g, '4月').replace('2017年3月至4月', '2017年4月');
    await say('dangban-wang', '导入学习计划');
    await say('dangban-wang', april);
    const shown = await say('dangban-wang', '完成');
    expect(shown).toContain('3月7日不在本通知的学习期间（2017年4月）内，没有导入；如这天确有学习，可以发送“补充日期 3月7日”');
    const added = await say('dangban-wang', '补充日期 3月7日');
    expect(added).toContain('学习时间：2017-03-07；2017-04-11');
    expect(added).not.toContain('3月7日不在');
    const again = await say('dangban-wang', '补充日期 3月7日');
    expect(again).toContain('3月7日已经在学习日期中');
    const far = await say('dangban-wang', '补充日期 2018年3月1日');
    expect(far.split('\n')[0]).toBe('3月1日（2018年）距学习开始（2017年3月6日那一周）超过 30 周，没有导入；一份学习计划最长 30 周');
    expect(far).not.toContain('2018-03-01');
    expect(far).toContain('学习时间：2017-03-07；2017-04-11');
    await say('dangban-wang', '取消');
  });
});
