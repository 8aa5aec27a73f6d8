import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUMMARY, at, chat, instances, storeBackends, type TestApp } from '../forms/form-chat.ts';

/**
 * Issue 19, point 3: records, receipts, reminders, the office's views and the status page follow the plans. Through
 * the real encrypted callback on lowdb and on PostgreSQL (two instances on one schema there): a 2016 record is handed
 * in under the seed plan; the office imports a June 2023 notice in chat; its dated session is offered by the form,
 * counted, reminded and shown on the status page, while the 2016 record stays readable and counted in 2016 scopes.
 */
const notice = readFileSync(fileURLToPath(new URL('../fixtures/notices/tuning/2023-06-single-date-questions.txt', import.meta.url)), 'utf8');
const secret = 'test-status-page-secret-0123456789';
type Say = (text: string) => Promise<string>;

/** A secretary with one group hands in the session offered first (the default), answering every step. */
async function handIn(say: Say, place: string, topic: string[]): Promise<string> {
  await say('提交记录');
  for (const t of ['好', '好', place, '10人', '无', ...topic, '1', SUMMARY, '完成', '好']) await say(t);
  return say('确认');
}

/** The same moment on every instance (each app has its own clock). */
function setClock(apps: readonly TestApp[], when: number): void {
  for (const a of new Set(apps)) a.clock.set(when);
}

/** Waits until the other instance serves what the first imported (it polls the store every few seconds). */
async function until(read: () => Promise<string>, wanted: string): Promise<string> {
  const started = Date.now();
  let seen = '';
  while (Date.now() - started < 10_000) {
    seen = await read();
    if (seen.includes(wanted)) return seen;
    await new Promise((r) => setTimeout(r, 200));
  }
  return seen;
}

describe.each(storeBackends)('records follow the plans ($name)', (backend) => {
  it('an imported plan’s session is collected, counted, reminded and shown; the 2016 records stay in 2016 scopes', { timeout: 40_000 }, async () => {
    const [a, b] = await instances(backend, at('2016-09-21 10:00'), { STATUS_PAGE_SECRET: secret });
    // Under the seed plan: 李四 hands in 9月20日 (the seed's first theme offered as the topic).
    expect(await handIn(chat(a, 'lisi'), '行政楼302', ['好'])).toContain('回执编号：JL-20160920-001');

    // June 2023: the office imports that month's notice in chat.
    setClock([a, b], at('2023-06-08 10:00'));
    const admin = chat(a, 'dangban-wang');
    await admin('导入学习计划');
    await admin(notice);
    await admin('完成');
    expect(await admin('确认')).toContain('已导入');

    // The day after its session: the form offers 6月20日 (not a 2016 session), with the notice's staff questions.
    setClock([a, b], at('2023-06-21 10:00'));
    const lisi = chat(b, 'lisi');
    const asked = await until(() => lisi('提交记录'), '6月20日');
    expect(asked).toContain('6月20日');
    expect(asked).not.toContain('9月');
    expect(await lisi('好')).toContain('实际学习日期是哪天');
    for (const t of ['好', '会议室B', '8人', '无']) await lisi(t);
    // The notice lists no themes: the topic is written, not chosen; the questions are the June notice's own.
    expect(await lisi('交流学习体会')).toContain('如何发挥职业教育特色');
    for (const t of ['1', SUMMARY, '完成']) await lisi(t);
    await lisi('好');
    const receipt = await lisi('确认');
    expect(receipt).toContain('回执编号：JL-20230620-001');
    const saved = (await b.store.submissions.get('staff-teaching', '2023-06-20'))!;
    expect(saved.fields).toMatchObject({ topic: '交流学习体会', place: '会议室B', questions: [expect.stringContaining('职业教育特色')] });

    // The office: what is missing now is the June session's, by the groups that have not handed in.
    const office = chat(b, 'dangban-wang');
    const missing = await office('谁还没交');
    expect(missing).toContain('6月20日');
    expect(missing).toContain('院办党支部学习组');
    expect(missing).not.toContain('教学系部学习组');
    expect(missing).not.toContain('9月');
    // 本学期 is the June plan; 2016 scopes still reach the seed plan's record.
    const stats = await office('统计 本学期');
    expect(stats).toContain('【提交统计】2023年6月\n6月：应提交 3，已提交 1');
    expect(stats).not.toContain('9月');
    const old = await office('已提交 2016年9月');
    expect(old).toContain('JL-20160920-001');
    expect(old).not.toContain('JL-20230620-001');
    expect(await office('查看记录 教学系部 2016年9月20日')).toContain('地点：行政楼302');
    const seedStats = await office('统计 2016年秋季学期');
    expect(seedStats).toContain('【提交统计】2016年秋季学期');
    expect(seedStats).toMatch(/9月：应提交 \d+，已提交 1/);
    expect(seedStats).not.toContain('6月');

    // 提醒未提交 reminds the June session's missing secretaries (王五 for 会计专业学生学习组), of June only.
    const before = b.sim.deliveries.length;
    expect(await office('提醒未提交')).toContain('已提醒记录员');
    const reminders = b.sim.deliveries.slice(before).filter((d) => d.to === 'wangwu');
    expect(reminders.map((d) => d.text).join('\n')).toContain('6月20日');
    expect(reminders.map((d) => d.text).join('\n')).not.toContain('9月');

    // The daily job: June's records close on 7月5日 (the month's end + the roster's 5 days); 2 days before, the
    // missing secretaries are reminded of June's session, and the 2016 months are not touched.
    const auto = await b.reminders.runFor('2023-07-03');
    expect(auto.reminded).toMatchObject({ groups: 2 });
    const last = b.sim.deliveries.filter((d) => d.to === 'wangwu').at(-1)!;
    expect(last.text).toContain('6月20日');
    expect(last.text).toContain('7月5日截止');

    // The status page: the current plan (June 2023) by default, a selector, and the 2016 plan on request.
    const base = await b.app.listen({ port: 0, host: '127.0.0.1' });
    const link = /http\S+/.exec(await office('管理页面'))![0];
    const first = await fetch(`${base}/status${new URL(link).search}`);
    const cookie = /status_session=[^;]+/.exec(first.headers.get('set-cookie') ?? '')![0];
    const page = await first.text();
    expect(page).toContain('关于2023年6月政治理论学习安排的通知');
    expect(page).toContain('name="plan"');
    expect(page).toMatch(/<th>6月20日[^<]*<\/th>/);
    expect(page).not.toMatch(/<th>9月20日/);
    expect(page).toContain('已提交 1 / 应提交 3');
    const seed = await fetch(`${base}/status?plan=seed`, { headers: { cookie } });
    const seedPage = await seed.text();
    expect(seedPage).toMatch(/<th>9月20日[^<]*<\/th>/);
    expect(seedPage).toContain('/status/record/staff-teaching/2016-09-20');
    const unknown = await fetch(`${base}/status?plan=no-such-plan`, { headers: { cookie } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('没有这个学习计划');
  });
});
