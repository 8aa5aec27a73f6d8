import type { Content } from '../content/content.ts';
import type { CalendarDate } from '../content/dates.ts';
import type { ScheduleEntry } from '../content/plan.ts';
import type { Submission } from '../storage/ports.ts';
import { RecordPolicy, type Group } from './policy.ts';
import type { Scope } from './scope.ts';

/**
 * Who has handed in which record: for every session of a scope, every group that owes it (RecordPolicy) with its
 * record or none. A group that does not owe a session has no cell at all, so it is never counted, listed or reminded.
 */
export interface Cell {
  group: Group;
  session: ScheduleEntry;
  submission: Submission | undefined;
  /** First handed in after the end of the session's month. */
  late: boolean;
  /** Owed by the day asked about (RecordPolicy.isDue): before that a missing record is 未到期, not 未交. */
  due: boolean;
}

export type CellStatus = 'submitted' | 'late' | 'missing' | 'notDue';
export const CELL_STATUS_LABEL: Record<CellStatus, string> = { submitted: '已提交', late: '逾期提交', missing: '未交', notDue: '未到期' };
/** A group that does not owe a session's record, where a grid must show something. */
export const NOT_OWED_LABEL = '不需提交';

export function cellStatus(c: Cell): CellStatus {
  if (c.submission) return c.late ? 'late' : 'submitted';
  return c.due ? 'missing' : 'notDue';
}

export function firstSubmittedAt(s: Submission): number {
  return s.history[0]?.submittedAt ?? s.submittedAt;
}

/** The status of every owing group for every session of the scope, on `today`. */
export function statusMatrix(content: Content, scope: Scope, submissions: readonly Submission[], today: CalendarDate): Cell[] {
  const policy = RecordPolicy.of(content);
  const cells: Cell[] = [];
  for (const session of scope.sessions) {
    for (const group of policy.groupsOwing(session, scope.groups ?? content.roster.groups)) {
      const submission = submissions.find((s) => s.groupId === group.id && s.session === session.date);
      cells.push({
        group,
        session,
        submission,
        late: Boolean(submission && policy.isLate(session.date, firstSubmittedAt(submission))),
        due: policy.isDue(session.date, today),
      });
    }
  }
  return cells;
}

/** The counts every view shows: expected are the due cells (and any record handed in early), missing the due ones without. */
export interface Tally {
  expected: number;
  submitted: number;
  /** Handed in on time (submitted − late). */
  onTime: number;
  late: number;
  missing: number;
  notDue: number;
}

export function tally(cells: readonly Cell[]): Tally {
  const count = (status: CellStatus) => cells.filter((c) => cellStatus(c) === status).length;
  const submitted = count('submitted') + count('late');
  return {
    expected: submitted + count('missing'),
    submitted,
    onTime: count('submitted'),
    late: count('late'),
    missing: count('missing'),
    notDue: count('notDue'),
  };
}

/** A group's figures over some cells: its tally and attendance (实到 over 应到, where the records say 应到). */
export interface GroupFigures {
  group: Group;
  tally: Tally;
  /** Sum of 实到 over the records that give 应到, and the sum of their 应到. */
  present: number;
  expectedPresent: number;
  /** Sum of 实到 over every record handed in (with or without 应到). */
  attended: number;
}

export function groupFigures(cells: readonly Cell[], groups: readonly Group[]): GroupFigures[] {
  return groups.map((group) => {
    const mine = cells.filter((c) => c.group.id === group.id);
    let present = 0;
    let expectedPresent = 0;
    let attended = 0;
    for (const c of mine) {
      const a = c.submission?.fields.attendees;
      if (!a) continue;
      attended += a.count;
      if (a.expected !== undefined) {
        present += a.count;
        expectedPresent += a.expected;
      }
    }
    return { group, tally: tally(mine), present, expectedPresent, attended };
  });
}
