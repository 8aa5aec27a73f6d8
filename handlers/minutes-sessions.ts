import type { Content } from '../src/content/content.ts';
import { formatDateWithWeekday, formatMonthDay, formatShanghaiTime, type CalendarDate } from '../src/content/dates.ts';
import type { ScheduleEntry } from '../src/content/plan.ts';
import { personName, RecordPolicy, sessionLabel, versionSuffix, type Group } from '../src/records/index.ts';
import type { Submission } from '../src/storage/ports.ts';

/**
 * Which sessions the discussion-record form offers, what it says when none is open, and how it describes a record a
 * group already has. Records open on the day of the session and close at the end of its month plus
 * closeAfterMonthEndDays; after that only the party office's admins may add or amend them.
 */

export function adminNames(content: Content): string {
  // Who to ask comes from the roster; with no admins listed, the office is named by its role.
  return content.roster.admins.map((a) => a.name).join('、') || '管理员';
}

/**
 * Sessions a user may record, the most recent first: the open ones; for an admin every held one (late entries are
 * theirs to make).
 */
export function offeredSessions(content: Content, today: CalendarDate, isAdmin: boolean, group?: Group): ScheduleEntry[] {
  const policy = RecordPolicy.of(content);
  const plan = policy.planAround(today);
  // Sessions still open, of any plan (a plan just ended is still collected); an admin also every held session of the
  // plan around today (late entries). An older plan's session is reached by naming its date.
  const offered = (e: ScheduleEntry) => policy.isOpen(e.date, today) || (isAdmin && policy.isHeld(e.date, today) && policy.planOf(e.date) === plan);
  // Once the group is known, only the sessions it owes a record for (业务学习 is not a student group's).
  return policy
    .sessions()
    .filter((e) => offered(e) && (!group || policy.owes(group, e)))
    .sort((a, b) => b.date.localeCompare(a.date));
}

/** The first reply when nothing is open: which closed last, when the next opens, whom to ask. */
export function nothingOpen(content: Content, today: CalendarDate): string {
  const policy = RecordPolicy.of(content);
  const needing = policy.sessions();
  const lastClosed = needing.filter((e) => policy.isClosed(e.date, today)).sort((a, b) => b.date.localeCompare(a.date))[0];
  const next = needing.filter((e) => e.date > today).sort((a, b) => a.date.localeCompare(b.date))[0];
  return [
    '目前没有可以提交学习讨论记录的学习活动。',
    lastClosed ? `最近一次是${sessionLabel(lastClosed)}，记录已于${formatMonthDay(policy.closingDate(lastClosed.date))}截止。` : '',
    next ? `下一次是${formatDateWithWeekday(next.date)}的${next.activity}，当天起可以提交。` : '本学期需要提交记录的学习活动已经全部结束。',
    `如需补交或修改已截止的记录，请联系管理员（${adminNames(content)}）。`,
  ].join('');
}

/** Why a session the user named cannot be chosen (closed, or not held yet); undefined when it can. */
export function whyNotOffered(content: Content, session: ScheduleEntry, today: CalendarDate, isAdmin = false): string | undefined {
  const policy = RecordPolicy.of(content);
  if (!policy.isHeld(session.date, today)) return `${sessionLabel(session)}还没到，当天起可以提交记录。`;
  if (policy.isClosed(session.date, today) && !isAdmin) {
    return `${sessionLabel(session)}的记录已于${formatMonthDay(policy.closingDate(session.date))}截止提交。如需补交，请联系管理员（${adminNames(content)}）。`;
  }
  return undefined;
}

/** What the form keeps about a record the chosen group already has for the session. */
export interface ExistingRecord {
  receipt: string;
  revision: number;
  by: string;
  at: number;
  /** Saved by someone else while this user was filling in the form. */
  raced?: boolean;
}

export function existingOf(s: Submission, raced = false): ExistingRecord {
  return { receipt: s.receipt, revision: s.revision, by: s.submittedBy, at: s.submittedAt, ...(raced ? { raced } : {}) };
}

/** "王五于9月21日 10:00提交（回执 JL-20160920-001）" */
export function describeExisting(content: Content, e: ExistingRecord): string {
  return `${personName(content, e.by)}于${formatShanghaiTime(e.at)}${e.revision > 1 ? `修改${versionSuffix(e.revision)}` : '提交'}，回执 ${e.receipt}`;
}
