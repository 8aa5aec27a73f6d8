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

/** The month scope of a session list: "9月" for month 9 of the semester's sessions. */
export function monthScope(content: Content, month: number): Scope {
  return {
    label: `${month}月`,
    sessions: RecordPolicy.of(content)
      .sessions()
      .filter((e) => Number(e.date.slice(5, 7)) === month),
  };
}

export function semesterScope(content: Content): Scope {
  return { label: content.plan.semester, sessions: RecordPolicy.of(content).sessions() };
}

/**
 * Reads a scope: a session (9月20日, 第3周, 政治理论学习), a month (9月, 本月, 上月), the semester (本学期, 全部); empty →
 * every session still open for records (else the most recent held). Undefined when the text names nothing known.
 */
export function parseScope(text: string, content: Content, today: CalendarDate): Scope | undefined {
  const policy = RecordPolicy.of(content);
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
  // Every session of the semester, as the status page shows it: those not held yet are listed as 未到期.
  if (/^(本学期|这学期|全部|所有|整个学期|全学期)$/.test(t)) return semesterScope(content);
  // Time words, read by the one time grammar: 9月, 本月, 上个月, 这个星期, 上礼拜, 第3周, 9月20日, 9.20, 上次, 最后一次.
  const reading = readTime(t, { today, week1Monday: content.plan.week1Monday, lean: 'past' });
  if (reading.rest === '' && (reading.span || reading.pick)) {
    const span = reading.span;
    if (span?.unit === 'semester') return semesterScope(content);
    if (reading.pick) {
      const s = choose(all, reading, today);
      return s.length ? { label: sessionLabel(s[0]!), sessions: s } : undefined;
    }
    if (span!.unit === 'day') {
      const s = all.filter((e) => e.date === span!.from);
      return s.length ? { label: sessionLabel(s[0]!), sessions: s } : { label: formatMonthDay(span!.from), sessions: [] };
    }
    if (span!.unit === 'month') return monthScope(content, Number(span!.from.slice(5, 7)));
    return { label: span!.label, sessions: all.filter((e) => within(span, e.date)) };
  }
  const byActivity = all.filter((e) => t.includes(e.activity) || e.activity.includes(t));
  if (byActivity.length && t.length >= 2) {
    const past = byActivity.filter((e) => e.date <= today);
    const s = past.at(-1) ?? byActivity[0]!;
    return { label: sessionLabel(s), sessions: [s] };
  }
  return undefined;
}
