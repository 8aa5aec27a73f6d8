import { describe, expect, it } from 'vitest';
import { offeredSessions } from '../../handlers/minutes-sessions.ts';
import { answerRecordQuestion } from '../../handlers/record-questions.ts';
import { Content } from '../../src/content/content.ts';
import { planSchema, type ScheduleEntry } from '../../src/content/plan.ts';
import { parseScope, RecordPolicy } from '../../src/records/index.ts';
import { buildNotebook } from '../../src/records/notebook.ts';
import { semesterContent } from '../helpers/content.ts';

/**
 * RecordPolicy over many plans, on plans built here (not the shipped ones): every plan's sessions are collected,
 * each belongs to its plan, a day listed by two plans is one session, scopes read within the plan around the day,
 * and a notice's own report deadline closes its sessions. The transcript through the callback is
 * per-plan-records.test.ts.
 */
const entry = (date: string, week: number, weekday: ScheduleEntry['weekday'], activity = '主题学习'): ScheduleEntry => ({
  week,
  date,
  weekday,
  activity,
  organisers: [],
  needsRecord: true,
});

/** The fixture seed (2016 autumn) plus a spring 2017 month notice with a report deadline, and a 2024 semester plan. */
async function threePlans(): Promise<{ content: Content; spring: Content; later: Content }> {
  const seed = await semesterContent();
  const spring = {
    plan: planSchema.parse({
      id: '2017-03',
      title: '关于2017年3月理论学习的通知',
      semester: '2017年3月',
      period: { kind: 'month', from: '2017-03-01', to: '2017-03-31', label: '2017年3月' },
      themes: ['学习两会精神'],
      questions: { others: [{ audience: '全体', items: ['如何把两会精神落到实处？'] }] },
      deadlines: [{ text: '于3月17日10:00前报送学习情况', date: '2017-03-17', time: '10:00' }],
    }),
    // 3月14日, and 3月28日 after the report deadline (its own month's end then applies).
    schedule: [entry('2017-03-14', 2, '二'), entry('2017-03-28', 4, '二')],
  };
  const later = {
    plan: planSchema.parse({
      id: '2024-spring',
      title: '2024年春季学期理论学习安排',
      semester: '2024年春季学期',
      week1Monday: '2024-02-26',
      period: { kind: 'semester', from: '2024-02-26', to: '2024-07-07', label: '2024年春季学期' },
    }),
    schedule: [entry('2024-03-05', 2, '二', '理论学习'), entry('2024-04-09', 7, '二', '理论学习')],
  };
  const content = new Content(seed.plan, seed.schedule, seed.documents, seed.broadcast, seed.roster, new Map(), seed.terms, [spring, later]);
  return { content, spring: content.planById('2017-03')!, later: content.planById('2024-spring')! };
}

describe('records over many plans', () => {
  it('collects every plan’s sessions, each with its plan; the seed’s are unchanged by the others', async () => {
    const { content, spring, later } = await threePlans();
    const seed = await semesterContent();
    const policy = RecordPolicy.of(content);
    const seedOnly = RecordPolicy.of(seed)
      .sessions()
      .map((e) => e.date);
    expect(policy.sessionsOfPlan(content).map((e) => e.date)).toEqual(seedOnly);
    expect(policy.sessionsOfPlan(spring).map((e) => e.date)).toEqual(['2017-03-14', '2017-03-28']);
    expect(policy.sessionsOfPlan(later).map((e) => e.date)).toEqual(['2024-03-05', '2024-04-09']);
    expect(policy.sessions().map((e) => e.date)).toEqual([...seedOnly, '2017-03-14', '2017-03-28', '2024-03-05', '2024-04-09']);
    expect(policy.planOf('2024-04-09')).toBe(later);
    expect(policy.session('2017-03-14')?.activity).toBe('主题学习');
  });

  it('a day two plans list is one session, of the plan that answers about that day', async () => {
    const seed = await semesterContent();
    const shared = seed.schedule.find((e) => e.needsRecord)!;
    const month = shared.date.slice(0, 7);
    const inside = {
      plan: planSchema.parse({
        id: 'inside',
        title: '月度通知',
        semester: '某月',
        period: { kind: 'month', from: `${month}-01`, to: `${month}-28`, label: '某月' },
      }),
      schedule: [{ ...shared, activity: '月度专题学习' }],
    };
    const content = new Content(seed.plan, seed.schedule, seed.documents, seed.broadcast, seed.roster, new Map(), seed.terms, [inside]);
    const policy = RecordPolicy.of(content);
    expect(policy.sessions().filter((e) => e.date === shared.date)).toHaveLength(1);
    // The month's notice covers fewer days, so it answers about that day and owns the session.
    expect(policy.session(shared.date)?.activity).toBe('月度专题学习');
    expect(policy.planOf(shared.date)).toBe(content.planById('inside'));
  });

  it('a notice’s report deadline closes its sessions; after it, the month’s end applies again', async () => {
    const { content } = await threePlans();
    const policy = RecordPolicy.of(content);
    const close = content.roster.closeAfterMonthEndDays;
    expect(policy.onTimeUntil('2017-03-14')).toBe('2017-03-17');
    expect(policy.isLate('2017-03-14', Date.parse('2017-03-18T09:00:00+08:00'))).toBe(true);
    expect(policy.isLate('2017-03-14', Date.parse('2017-03-17T09:00:00+08:00'))).toBe(false);
    expect(policy.onTimeUntil('2017-03-28')).toBe('2017-03-31');
    expect(policy.onTimeUntil('2024-03-05')).toBe('2024-03-31');
    expect(policy.closingDate('2017-03-14')).toBe(`2017-03-${String(17 + close).padStart(2, '0')}`);
    // 记录什么时候交 under that plan says so, and lists the closing days the policy keeps.
    const told = answerRecordQuestion({ kind: 'deadline' }, content, '2017-03-15');
    expect(told).toContain('学习通知规定的报送期限（3月17日）');
    expect(told).toContain(`3月的记录（3月14日）：3月${17 + close}日截止`);
    expect(told).toContain(`3月的记录（3月28日）：4月${close}日截止`);
  });

  it('scopes read within the plan around the day; a year or a plan’s name reaches another plan', async () => {
    const { content, later } = await threePlans();
    const dates = (text: string, today: string) => parseScope(text, content, today)?.sessions.map((e) => e.date);
    expect(dates('本学期', '2024-04-20')).toEqual(['2024-03-05', '2024-04-09']);
    expect(parseScope('本学期', content, '2024-04-20')?.label).toBe('2024年春季学期');
    expect(dates('本学期', '2017-03-20')).toEqual(['2017-03-14', '2017-03-28']);
    expect(dates('3月', '2024-04-20')).toEqual(['2024-03-05']);
    expect(dates('3月', '2017-03-30')).toEqual(['2017-03-14', '2017-03-28']);
    expect(dates('第7周', '2024-04-20')).toEqual(['2024-04-09']);
    expect(dates('上次', '2024-04-20')).toEqual(['2024-04-09']);
    expect(dates('2017年3月', '2024-04-20')).toEqual(['2017-03-14', '2017-03-28']);
    expect(dates('2017年3月14日', '2024-04-20')).toEqual(['2017-03-14']);
    const seedDates = RecordPolicy.of(content)
      .sessionsOfPlan(content)
      .map((e) => e.date);
    expect(dates(content.plan.semester, '2024-04-20')).toEqual(seedDates);
    // Between plans (summer 2024): the plan just ended is still the one meant.
    expect(dates('本学期', '2024-08-01')).toEqual(
      RecordPolicy.of(content)
        .sessionsOfPlan(later)
        .map((e) => e.date),
    );
  });

  it('the form offers open sessions of any plan; an admin also every held one of the plan around the day', async () => {
    const { content } = await threePlans();
    const offered = (today: string, admin: boolean) => offeredSessions(content, today, admin).map((e) => e.date);
    // 3月5日's records closed on 4月5日 (March's end + the roster's days): a secretary is offered 4月9日 only.
    expect(offered('2024-04-10', false)).toEqual(['2024-04-09']);
    expect(offered('2024-04-10', true)).toEqual(['2024-04-09', '2024-03-05']);
    expect(offered('2024-04-10', true).some((d) => d < '2024-01-01')).toBe(false);
  });

  it('a notebook of an older plan carries that plan’s title', async () => {
    const { content, spring } = await threePlans();
    const scope = parseScope('2017年3月', content, '2024-04-20')!;
    const book = buildNotebook(content, scope, content.roster.groups, [], '2024-04-20', Date.parse('2024-04-20T10:00:00+08:00'));
    expect(book.planTitle).toBe(spring.plan.title);
  });
});
