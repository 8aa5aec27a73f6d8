import type { Content } from '../content/content.ts';
import { formatMonthDay, formatShanghaiTime } from '../content/dates.ts';
import type { ScheduleEntry } from '../content/plan.ts';
import type { Submission } from '../storage/ports.ts';
import { RECORD_FIELD_LABELS, RECORD_FIELD_NAMES, type RecordAbsentee, type RecordAttendance, type RecordFieldName, type RecordFields } from './fields.ts';
import { RecordPolicy, type Group } from './policy.ts';

/**
 * Every way a record, a receipt or a version is written for people: the chat, the status page, the notebook and the
 * spreadsheet all say it the same way because they all say it here.
 */

export function sessionLabel(e: ScheduleEntry): string {
  return `${formatMonthDay(e.date)} ${e.activity}`;
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

/** "第 2 版" */
export function versionName(revision: number): string {
  return `第 ${revision} 版`;
}

/** "（第 2 版）" after a receipt, nothing for the first version. */
export function versionSuffix(revision: number): string {
  return revision > 1 ? `（${versionName(revision)}）` : '';
}

/** "JL-20160920-001（第 2 版）" */
export function receiptWithVersion(s: Pick<Submission, 'receipt' | 'revision'>): string {
  return `${s.receipt}${versionSuffix(s.revision)}`;
}

/** "张三 9月21日 10:00" (who saved this version, when). */
export function savedBy(content: Content, s: Pick<Submission, 'submittedBy' | 'submittedAt'>): string {
  return `${personName(content, s.submittedBy)} ${formatShanghaiTime(s.submittedAt)}`;
}

/** "12人（王五、赵六）", or with how many should have come "应到15人，实到12人（王五、赵六）" */
export function formatAttendance(a: RecordAttendance | null | undefined): string {
  if (a?.count === undefined) return '';
  const names = a.names?.length ? `（${a.names.join('、')}）` : '';
  return a.expected !== undefined ? `应到${a.expected}人，实到${a.count}人${names}` : `${a.count}人${names}`;
}

/** "赵七（生病）、钱八（实习）", or 无 */
export function formatAbsentees(a: readonly RecordAbsentee[] | null | undefined): string {
  return a?.length ? a.map((x) => `${x.name}（${x.reason}）`).join('、') : '无';
}

/** One field as text (the same wording everywhere: chat, page, notebook, spreadsheet). */
export function formatField(f: RecordFields, name: RecordFieldName): string {
  switch (name) {
    case 'heldOn':
      return f.heldOn ?? '';
    case 'place':
      return f.place ?? '未填';
    case 'attendees':
      return formatAttendance(f.attendees);
    case 'absentees':
      return formatAbsentees(f.absentees);
    case 'questions':
      return f.questions?.join('；') ?? '';
    default:
      return f[name] ?? '';
  }
}

/** A record's fields as label and text, in the form's order. */
export function recordRows(f: RecordFields): Array<[string, string]> {
  return RECORD_FIELD_NAMES.map((k) => [RECORD_FIELD_LABELS[k], formatField(f, k)]);
}

/** A record as the office and a second secretary read it in chat. */
export function formatRecord(content: Content, s: Submission): string {
  const group = content.roster.groups.find((g) => g.id === s.groupId);
  const session = RecordPolicy.of(content).session(s.session);
  const f = s.fields;
  return [
    `【学习讨论记录】${group?.name ?? s.groupId} · ${session ? sessionLabel(session) : formatMonthDay(s.session)}`,
    `回执 ${receiptWithVersion(s)}，${formatShanghaiTime(s.submittedAt)} 由 ${personName(content, s.submittedBy)} 提交`,
    `学习日期：${formatField(f, 'heldOn')}　地点：${formatField(f, 'place')}`,
    `参加：${formatField(f, 'attendees')}`,
    `缺席：${formatField(f, 'absentees')}`,
    `主题：${formatField(f, 'topic')}`,
    `讨论题：${formatField(f, 'questions')}`,
    `讨论情况：${formatField(f, 'summary')}`,
    `记录人：${formatField(f, 'recorder')}`,
  ].join('\n');
}

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
/** "2016-09-21 10:00" (Beijing time), for tables and files. */
export function formatTableTime(ms: number): string {
  return timeFormat.format(new Date(ms));
}
