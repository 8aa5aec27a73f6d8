import type { Content } from '../content/content.ts';
import { formatMonthDay, weekNumber, type CalendarDate } from '../content/dates.ts';
import { parseNumber } from '../content/numerals.ts';
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
  return { label: `${month}月`, sessions: RecordPolicy.of(content).sessions().filter((e) => Number(e.date.slice(5, 7)) === month) };
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
  const month = /^(\d{1,2}|[一二三四五六七八九十]+|十一|十二)月(份)?$/.exec(t);
  const relMonth = /^(本月|这个月|上月|上个月)$/.exec(t);
  if (month || relMonth) {
    let m: number | undefined;
    if (month) m = parseNumber(month[1]!);
    else {
      const now = Number(today.slice(5, 7));
      m = relMonth![1]!.startsWith('上') ? ((now + 10) % 12) + 1 : now;
    }
    if (!m) return undefined;
    return monthScope(content, m);
  }
  const week = /^第([0-9一二三四五六七八九十]+)周$/.exec(t);
  if (week || /^(本周|这周|上周)$/.test(t)) {
    const w = week ? parseNumber(week[1]!) : weekNumber(content.plan.week1Monday, today) - (t === '上周' ? 1 : 0);
    return { label: week ? `第${w}周` : t, sessions: all.filter((e) => e.week === w) };
  }
  const md = /^(\d{1,2})(?:月|\.|\/)(\d{1,2})[日号]?$/.exec(t);
  if (md) {
    const s = all.filter((e) => Number(e.date.slice(5, 7)) === Number(md[1]) && Number(e.date.slice(8, 10)) === Number(md[2]));
    return s.length ? { label: sessionLabel(s[0]!), sessions: s } : { label: `${md[1]}月${md[2]}日`, sessions: [] };
  }
  const byActivity = all.filter((e) => t.includes(e.activity) || e.activity.includes(t));
  if (byActivity.length && t.length >= 2) {
    const past = byActivity.filter((e) => e.date <= today);
    const s = past.at(-1) ?? byActivity[0]!;
    return { label: sessionLabel(s), sessions: [s] };
  }
  return undefined;
}
