import type { Content } from '../content/content.ts';
import { formatMonthDay, type CalendarDate } from '../content/dates.ts';
import { choose, readTime, within } from '../content/time/grammar.ts';
import type { ScheduleEntry } from '../content/plan.ts';
import { sessionLabel } from './format.ts';
import { RecordPolicy, type Group } from './policy.ts';

/** Which sessions (and groups) a view, a reminder or an export is about. */
export interface Scope {
  /** "9月20日 政治理论学习", "9月", "本学期" … */
  label: string;
  sessions: ScheduleEntry[];
  /** Only these groups (张三交了吗, 学生组没交的); every group of the roster when not given. */
  groups?: Group[];
}

/** The sessions of a month, of whichever plan (9月 of the plan around today; 2016年9月 said outright). */
function spanScope(content: Content, label: string, from: CalendarDate, to: CalendarDate): Scope {
  return {
    label,
    sessions: RecordPolicy.of(content)
      .sessions()
      .filter((e) => e.date >= from && e.date <= to),
  };
}

/** A whole plan's sessions, named as people name its period (2016年秋季学期, 2023年6月). */
export function planScope(content: Content, plan: Content): Scope {
  return { label: plan.plan.semester, sessions: RecordPolicy.of(content).sessionsOfPlan(plan) };
}

/**
 * Reads a scope: a session (9月20日, 第3周, 政治理论学习), a month (9月, 本月, 上月, 2016年9月), the plan (本学期, 全部);
 * empty → every session still open for records (else the most recent held). Undefined when the text names nothing
 * known. Words relative to a plan (本学期, 第3周, and the year of 9月) are read within the plan around `today`
 * (RecordPolicy.planAround); a date or a year said outright reaches any plan, so older plans' records stay in reach.
 */
export function parseScope(text: string, content: Content, today: CalendarDate): Scope | undefined {
  const policy = RecordPolicy.of(content);
  const plan = policy.planAround(today);
  const t = text.normalize('NFKC').replace(/[\s?？!！。的]/g, '');
  const all = policy.sessions();
  const held = policy.heldSessions(today);
  if (t === '') {
    // Everything still owed: every session whose records are open (an older one may be missing too), else the last held.
    const open = policy.openSessions(today);
    if (open.length > 1) return { label: `尚未截止的${open.length}次学习（${open.map((e) => formatMonthDay(e.date)).join('、')}）`, sessions: open };
    const last = open[0] ?? held.at(-1) ?? all[0];
    return last ? { label: sessionLabel(last), sessions: [last] } : undefined;
  }
  // Every session of the plan, as the status page shows it: those not held yet are listed as 未到期.
  if (/^(本学期|这学期|全部|所有|整个学期|全学期)$/.test(t)) return planScope(content, plan);
  // Another plan by its period's name or its id (2016年秋季学期, 2023-06).
  const named = content.plans.find((p) => p.plan.semester.replace(/\s/g, '') === t || p.plan.id === t);
  if (named) return planScope(content, named);
  // Time words, read by the one time grammar: 9月, 本月, 上个月, 这个星期, 上礼拜, 第3周, 9月20日, 9.20, 上次, 最后一次.
  const reading = readTime(t, { today, week1Monday: plan.plan.week1Monday, lean: 'past' });
  if (reading.rest === '' && (reading.span || reading.pick)) {
    const span = reading.span;
    if (span?.unit === 'semester') return planScope(content, plan);
    if (reading.pick) {
      const s = choose(all, reading, today);
      return s.length ? { label: sessionLabel(s[0]!), sessions: s } : undefined;
    }
    if (span!.unit === 'day') {
      const s = all.filter((e) => e.date === span!.from);
      return s.length ? { label: sessionLabel(s[0]!), sessions: s } : { label: formatMonthDay(span!.from), sessions: [] };
    }
    if (span!.unit === 'month') {
      // 本月 and 上个月 are named by their month (9月); one said with its year keeps it (2016年9月).
      const label = span!.label.includes('年') ? span!.label : `${Number(span!.from.slice(5, 7))}月`;
      return spanScope(content, label, span!.from, span!.to);
    }
    return { label: span!.label, sessions: all.filter((e) => within(span, e.date)) };
  }
  // An activity's name: its latest session held (the plan around today's first), else its first.
  const byActivity = all.filter((e) => t.includes(e.activity) || e.activity.includes(t));
  if (byActivity.length && t.length >= 2) {
    const mine = byActivity.filter((e) => policy.planOf(e.date) === plan);
    const among = mine.length ? mine : byActivity;
    const past = among.filter((e) => e.date <= today);
    const s = past.at(-1) ?? among[0]!;
    return { label: sessionLabel(s), sessions: [s] };
  }
  return undefined;
}
