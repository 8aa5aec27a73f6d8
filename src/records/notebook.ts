import type { Content } from '../content/content.ts';
import type { CalendarDate } from '../content/dates.ts';
import type { ScheduleEntry } from '../content/plan.ts';
import type { Submission } from '../storage/ports.ts';
import { RecordPolicy, type Group } from './policy.ts';
import type { Scope } from './scope.ts';
import { cellStatus, groupFigures, statusMatrix, type Cell, type CellStatus, type GroupFigures } from './status.ts';

/**
 * The 学习记录本 as data, before any file format: per group, its cover, one entry per session it owes in the period
 * (with the record, or none), and its closing figures. The Word notebook (notebook-docx.ts) and anything else that
 * shows the notebook are drawn from this, so what is in the notebook is decided once.
 */
export interface NotebookSession {
  session: ScheduleEntry;
  status: CellStatus;
  record: Submission | undefined;
}

export interface GroupNotebook {
  group: Group;
  sessions: NotebookSession[];
  figures: GroupFigures;
}

export interface Notebook {
  organisation: string;
  /** The plan's title (…政治理论学习安排). */
  planTitle: string;
  /** "2016年秋季学期" or "9月" as asked. */
  period: string;
  /** Generated at (ms), shown on the cover. */
  generatedAt: number;
  groups: GroupNotebook[];
  /** One file for the whole organisation (党委宣传部's copy): a cover for all and a table of every group at the end. */
  whole: boolean;
}

/**
 * The notebook of `groups` for a scope, on `today`: every session of the scope a group owes, in date order; sessions
 * not held yet are kept (the closing table says 未到期) but get no page.
 */
export function buildNotebook(
  content: Content,
  scope: Scope,
  groups: readonly Group[],
  submissions: readonly Submission[],
  today: CalendarDate,
  now: number,
): Notebook {
  const cells = statusMatrix(content, { ...scope, groups: [...groups] }, submissions, today);
  const figures = groupFigures(cells, groups);
  // The plan the scope's sessions belong to (an older plan's notebook carries its own title).
  const plan = (scope.sessions[0] && RecordPolicy.of(content).planOf(scope.sessions[0].date)) || content;
  return {
    organisation: plan.organisation,
    planTitle: plan.plan.title,
    period: scope.label,
    generatedAt: now,
    whole: groups.length === content.roster.groups.length && groups.length > 1,
    groups: groups.map((group, i) => ({
      group,
      sessions: cells
        .filter((c: Cell) => c.group.id === group.id)
        .sort((a, b) => a.session.date.localeCompare(b.session.date))
        .map((c) => ({ session: c.session, status: cellStatus(c), record: c.submission })),
      figures: figures[i]!,
    })),
  };
}

/** Which groups a person's notebook covers: an admin's choice (every group by default); a secretary's own groups. */
export function notebookGroups(
  content: Content,
  userId: string,
  asked: readonly Group[] | undefined,
): { groups: Group[] } | { refused: 'not-secretary' | 'not-theirs' } {
  const policy = RecordPolicy.of(content);
  if (policy.isAdmin(userId)) return { groups: [...(asked ?? content.roster.groups)] };
  const mine = policy.secretaryGroups(userId);
  if (!mine.length) return { refused: 'not-secretary' };
  if (!asked) return { groups: mine };
  const allowed = asked.filter((g) => mine.includes(g));
  return allowed.length ? { groups: allowed } : { refused: 'not-theirs' };
}
