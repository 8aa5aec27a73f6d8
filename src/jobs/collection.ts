import { choose, readTime, within } from '../content/time/grammar.ts';
import type { Content } from '../content/content.ts';
import { addDays, formatMonthDay, formatShanghaiTime, shanghaiDate, type CalendarDate } from '../content/dates.ts';
import type { ScheduleEntry } from '../content/plan.ts';
import type { Submission } from '../storage/ports.ts';

/**
 * Who has handed in the discussion record for which session: expected (every group of the roster, for every session
 * that needs a record) minus submitted. Pure functions over the content and the submissions.
 */
export type Group = Content['roster']['groups'][number];

export interface Scope {
  /** "9月20日 政治理论学习", "9月", "本学期" … */
  label: string;
  sessions: ScheduleEntry[];
  /** Only these groups (张三交了吗, 学生组没交的); every group of the roster when not given. */
  groups?: Group[];
}

export interface Cell {
  group: Group;
  session: ScheduleEntry;
  submission: Submission | undefined;
  /** Handed in after the end of the session's month (the plan asks for records monthly). */
  late: boolean;
  /** The session has been held by the day asked about (see isDue): before that a missing record is 未到期, not 未交. */
  due: boolean;
}

/**
 * Whether a session's records are owed on `today`: from the day after it is held (on the day itself the meeting may
 * not have happened yet, and its record may be written that evening). Every office view (谁还没交, 已提交, 统计,
 * 导出, the status page, reminders) asks this one question, so a session not held yet, or held today, is 未到期
 * everywhere and never counted as missing.
 */
export function isDue(session: CalendarDate, today: CalendarDate): boolean {
  return session < today;
}

/** Whether a session has taken place by `today` (its day included): from then its record can be handed in. */
export function isHeld(session: CalendarDate, today: CalendarDate): boolean {
  return session <= today;
}

export type CellStatus = 'submitted' | 'late' | 'missing' | 'notDue';
export const CELL_STATUS_LABEL: Record<CellStatus, string> = { submitted: '已提交', late: '逾期提交', missing: '未交', notDue: '未到期' };

export function cellStatus(c: Cell): CellStatus {
  if (c.submission) return c.late ? 'late' : 'submitted';
  return c.due ? 'missing' : 'notDue';
}

/** The counts every view shows: expected are the due cells (and any record handed in early), missing the due ones without. */
export interface Tally {
  expected: number;
  submitted: number;
  late: number;
  missing: number;
  notDue: number;
}

export function tally(cells: readonly Cell[]): Tally {
  const count = (status: CellStatus) => cells.filter((c) => cellStatus(c) === status).length;
  const submitted = count('submitted') + count('late');
  return { expected: submitted + count('missing'), submitted, late: count('late'), missing: count('missing'), notDue: count('notDue') };
}

/** The last day a session's records may be handed in or amended by a secretary (end of its month + grace days). */
export function closingDateOf(content: Content, session: CalendarDate): CalendarDate {
  const [y, m] = session.split('-').map(Number) as [number, number];
  const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return addDays(monthEnd, content.roster.closeAfterMonthEndDays);
}

/** Whether a session's records can be handed in on `today`: from the day it is held until its closing date. */
export function isOpenForRecords(content: Content, session: CalendarDate, today: CalendarDate): boolean {
  return isHeld(session, today) && today <= closingDateOf(content, session);
}

/** Sessions that need a record and are open for records on `today`, oldest first. */
export function openSessions(content: Content, today: CalendarDate): ScheduleEntry[] {
  return content.schedule.filter((e) => e.needsRecord && isOpenForRecords(content, e.date, today));
}

/** Sessions that need a record and have taken place by `today`, oldest first. */
export function heldSessions(content: Content, today: CalendarDate): ScheduleEntry[] {
  return content.schedule.filter((e) => e.needsRecord && isHeld(e.date, today));
}

/**
 * Reads a scope: a session (9月20日, 第3周, 政治理论学习), a month (9月, 本月, 上月), the semester (本学期, 全部); empty →
 * every session still open for records (else the most recent held). Undefined when the text names nothing known.
 */
export function parseScope(text: string, content: Content, today: CalendarDate): Scope | undefined {
  const t = text.normalize('NFKC').replace(/[\s?？!！。的]/g, '');
  const all = content.schedule.filter((e) => e.needsRecord);
  const held = heldSessions(content, today);
  if (t === '') {
    // Everything still owed: every session whose records are open (an older one may be missing too), else the last held.
    const open = openSessions(content, today);
    if (open.length > 1) return { label: `尚未截止的${open.length}次学习（${open.map((e) => formatMonthDay(e.date)).join('、')}）`, sessions: open };
    const last = open[0] ?? held.at(-1) ?? all[0];
    return last ? { label: sessionLabel(last), sessions: [last] } : undefined;
  }
  // Every session of the semester, as the status page shows it: those not held yet are listed as 未到期 (see isDue).
  if (/^(本学期|这学期|全部|所有|整个学期)$/.test(t)) return { label: content.plan.semester, sessions: all };
  // Time words, read by the one time grammar: 9月, 本月, 上个月, 这个星期, 上礼拜, 第3周, 9月20日, 9.20, 上次, 最后一次.
  const reading = readTime(t, { today, week1Monday: content.plan.week1Monday, lean: 'past' });
  if (reading.rest === '' && (reading.span || reading.pick)) {
    const span = reading.span;
    if (span?.unit === 'semester') return { label: content.plan.semester, sessions: all };
    if (reading.pick) {
      const s = choose(all, reading, today);
      return s.length ? { label: sessionLabel(s[0]!), sessions: s } : undefined;
    }
    if (span!.unit === 'day') {
      const s = all.filter((e) => e.date === span!.from);
      return s.length ? { label: sessionLabel(s[0]!), sessions: s } : { label: formatMonthDay(span!.from), sessions: [] };
    }
    return { label: span!.unit === 'month' ? `${Number(span!.from.slice(5, 7))}月` : span!.label, sessions: all.filter((e) => within(span, e.date)) };
  }
  const byActivity = all.filter((e) => t.includes(e.activity) || e.activity.includes(t));
  if (byActivity.length && t.length >= 2) {
    const past = byActivity.filter((e) => e.date <= today);
    const s = past.at(-1) ?? byActivity[0]!;
    return { label: sessionLabel(s), sessions: [s] };
  }
  return undefined;
}

export function sessionLabel(e: ScheduleEntry): string {
  return `${formatMonthDay(e.date)} ${e.activity}`;
}

/** The status of every group for every session of the scope, on `today` (which sessions are due). */
export function statusMatrix(content: Content, scope: Scope, submissions: readonly Submission[], today: CalendarDate): Cell[] {
  const cells: Cell[] = [];
  for (const session of scope.sessions) {
    for (const group of scope.groups ?? content.roster.groups) {
      const submission = submissions.find((s) => s.groupId === group.id && s.session === session.date);
      const monthEnd = new Date(Date.UTC(Number(session.date.slice(0, 4)), Number(session.date.slice(5, 7)), 0)).toISOString().slice(0, 10);
      cells.push({ group, session, submission, late: Boolean(submission && shanghaiDate(firstSubmittedAt(submission)) > monthEnd), due: isDue(session.date, today) });
    }
  }
  return cells;
}

function firstSubmittedAt(s: Submission): number {
  return s.history[0]?.submittedAt ?? s.submittedAt;
}

/** Secretaries' names from the roster; the WeCom user id where no name is known. */
export function secretaryNames(group: Group): string {
  return group.secretaries.map((s) => s.name ?? s.userId).join('、');
}

/** A person's name from the roster (admins, then secretaries); the WeCom user id where no name is known. */
export function personName(content: Content, userId: string): string {
  const named = [...content.roster.admins, ...content.roster.groups.flatMap((g) => g.secretaries)].find((p) => p.userId === userId && p.name);
  return named?.name ?? userId;
}

/** "12人（王五、赵六）", or with how many should have come "应到15人，实到12人（王五、赵六）" */
export function formatAttendance(a: unknown): string {
  const v = a as { count?: number; names?: string[]; expected?: number } | null | undefined;
  if (v?.count === undefined) return '';
  const names = v.names?.length ? `（${v.names.join('、')}）` : '';
  return v.expected !== undefined ? `应到${v.expected}人，实到${v.count}人${names}` : `${v.count}人${names}`;
}

/** "赵七（生病）、钱八（实习）", or 无 */
export function formatAbsentees(a: unknown): string {
  return Array.isArray(a) && a.length ? a.map((x: { name: string; reason: string }) => `${x.name}（${x.reason}）`).join('、') : '无';
}

/** A record as the office and a second secretary read it. */
export function formatRecord(content: Content, s: Submission): string {
  const group = content.roster.groups.find((g) => g.id === s.groupId);
  const session = content.schedule.find((e) => e.date === s.session && e.needsRecord);
  const f = s.fields as Record<string, any>;
  return [
    `【学习讨论记录】${group?.name ?? s.groupId} · ${session ? sessionLabel(session) : formatMonthDay(s.session)}`,
    `回执 ${s.receipt}${s.revision > 1 ? `（第 ${s.revision} 版）` : ''}，${formatShanghaiTime(s.submittedAt)} 由 ${personName(content, s.submittedBy)} 提交`,
    `学习日期：${f.heldOn ?? ''}　地点：${f.place ?? '未填'}`,
    `参加：${formatAttendance(f.attendees)}`,
    `缺席：${formatAbsentees(f.absentees)}`,
    `主题：${f.topic ?? ''}`,
    `讨论题：${Array.isArray(f.questions) ? f.questions.join('；') : ''}`,
    `讨论情况：${f.summary ?? ''}`,
    `记录人：${f.recorder ?? ''}`,
  ].join('\n');
}

/** CSV (UTF-8 with BOM so Excel reads the Chinese): groups × sessions, the submission time, 未交 or 未到期. */
export function statusCsv(content: Content, scope: Scope, cells: readonly Cell[]): string {
  const esc = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = ['学习组', '类别', '记录员', ...scope.sessions.map(sessionLabel)];
  const rows = (scope.groups ?? content.roster.groups).map((g) => [
    g.name,
    g.kind === 'staff' ? '教职工' : '学生',
    secretaryNames(g),
    ...scope.sessions.map((s) => {
      const c = cells.find((x) => x.group.id === g.id && x.session.date === s.date);
      if (!c?.submission) return c ? CELL_STATUS_LABEL[cellStatus(c)] : '';
      return `${formatTime(c.submission.submittedAt)}${c.late ? '（逾期）' : ''} ${c.submission.receipt}`;
    }),
  ]);
  return `\ufeff${[header, ...rows].map((r) => r.map(esc).join(',')).join('\r\n')}\r\n`;
}

const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
function formatTime(ms: number): string {
  return fmt.format(new Date(ms));
}
