import type { Content } from '../content/content.ts';
import { addDays, shanghaiDate, type CalendarDate } from '../content/dates.ts';
import type { ScheduleEntry } from '../content/plan.ts';

/**
 * The one rule book of the discussion records. Everything that asks "does this group owe a record for this session",
 * "can it still be handed in", "is it late", "may this person hand it in or amend it" asks here: the record form,
 * the office's views, the status page, the reminders, the Monday push and the exports. A change to the deadline rule
 * is a change to this file.
 *
 * - Which groups: every group, unless a rule of content/roster.yaml `records.owedBy` (by the session's organisers or
 *   activity; the first that matches wins) names the kinds of group it concerns: 业务学习活动, organised by 各部门, is
 *   the staff's, so no student group owes a record for it, is counted as missing or is reminded.
 * - When: a record can be handed in from the day the session is held (isHeld); it is owed from the day after (isDue:
 *   the meeting may be that evening); it is late when first handed in after the end of the session's month (the plan
 *   asks for records monthly); it closes `closeAfterMonthEndDays` after that month's end, after which only admins may
 *   add or amend it.
 * - Who: a group's secretaries for their groups; admins for every group, also after the close.
 */
export type Group = Content['roster']['groups'][number];
export type GroupKind = Group['kind'];
export const GROUP_KINDS: readonly GroupKind[] = ['staff', 'student'];
export const GROUP_KIND_LABEL: Record<GroupKind, string> = { staff: '教职工', student: '学生' };

/** The push's record notice when content gives none: the plan's rule for staff; the students' own (以备检查考核). */
/** Where neither content nor the plan says how records are handed in: nothing invented, only how to hand in here. */
const GENERIC_NOTICE = '请做好学习讨论记录（可发送“提交记录”在线提交）。';

export type HandInRefusal = 'not-secretary' | 'not-held' | 'closed' | 'not-owed';

export class RecordPolicy {
  static #cache = new WeakMap<Content, RecordPolicy>();

  /** The policy of a content (one per loaded content). */
  static of(content: Content): RecordPolicy {
    let p = RecordPolicy.#cache.get(content);
    if (!p) RecordPolicy.#cache.set(content, (p = new RecordPolicy(content)));
    return p;
  }

  private constructor(readonly content: Content) {}

  // ── which sessions, which groups ──────────────────────────────────────────────────────────────────────────────

  /** Every session of the semester that needs a record, oldest first. */
  sessions(): ScheduleEntry[] {
    return this.content.schedule.filter((e) => e.needsRecord);
  }

  /** The kinds of group a session concerns: by the first rule matching its organisers or activity; all otherwise. */
  kindsOwing(session: ScheduleEntry): readonly GroupKind[] {
    if (!session.needsRecord) return [];
    const rule = this.content.roster.records.owedBy.find(
      (r) => (r.organisers?.some((o) => session.organisers.includes(o)) ?? false) || (r.activities?.includes(session.activity) ?? false),
    );
    return rule ? rule.kinds : GROUP_KINDS;
  }

  /** Whether a group owes a record for a session. */
  owes(group: Group, session: ScheduleEntry): boolean {
    return this.kindsOwing(session).includes(group.kind);
  }

  /** The groups (of `among`, every group by default) that owe a record for a session. */
  groupsOwing(session: ScheduleEntry, among: readonly Group[] = this.content.roster.groups): Group[] {
    return among.filter((g) => this.owes(g, session));
  }

  /** The sessions a group owes a record for, oldest first. */
  sessionsOf(group: Group): ScheduleEntry[] {
    return this.sessions().filter((e) => this.owes(group, e));
  }

  session(date: CalendarDate): ScheduleEntry | undefined {
    return this.content.schedule.find((e) => e.date === date && e.needsRecord);
  }

  // ── when ─────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Held by `today` (its day included): from then its record can be handed in. */
  isHeld(session: CalendarDate, today: CalendarDate): boolean {
    return session <= today;
  }

  /** Owed on `today`: from the day after it is held. Before that, a missing record is 未到期, never 未交. */
  isDue(session: CalendarDate, today: CalendarDate): boolean {
    return session < today;
  }

  /** The last day a record handed in counts as on time: the end of the session's month. */
  onTimeUntil(session: CalendarDate): CalendarDate {
    const [y, m] = session.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  }

  /** The last day a secretary may hand in or amend a session's record. */
  closingDate(session: CalendarDate): CalendarDate {
    return addDays(this.onTimeUntil(session), this.content.roster.closeAfterMonthEndDays);
  }

  isClosed(session: CalendarDate, today: CalendarDate): boolean {
    return today > this.closingDate(session);
  }

  /** Open for records on `today`: from the day it is held until its closing date. */
  isOpen(session: CalendarDate, today: CalendarDate): boolean {
    return this.isHeld(session, today) && !this.isClosed(session, today);
  }

  /** Whether a record first handed in at `firstSubmittedAt` (ms) was late. */
  isLate(session: CalendarDate, firstSubmittedAt: number): boolean {
    return shanghaiDate(firstSubmittedAt) > this.onTimeUntil(session);
  }

  /** Sessions needing a record and open on `today`, oldest first. */
  openSessions(today: CalendarDate): ScheduleEntry[] {
    return this.sessions().filter((e) => this.isOpen(e.date, today));
  }

  /** Sessions needing a record, held by `today`, oldest first. */
  heldSessions(today: CalendarDate): ScheduleEntry[] {
    return this.sessions().filter((e) => this.isHeld(e.date, today));
  }

  // ── who ──────────────────────────────────────────────────────────────────────────────────────────────────────

  isAdmin(userId: string): boolean {
    return this.content.isAdmin(userId);
  }

  /** The groups a user hands in for: those they are secretary of; every group for an admin. */
  groupsOf(userId: string): Group[] {
    if (this.isAdmin(userId)) return this.content.roster.groups;
    return this.secretaryGroups(userId);
  }

  /**
   * Whose rules a user is told: the kinds of the groups they are secretary of; everyone else (an admin, a member of staff
   * or a student the roster does not name) hears every kind's, each labelled.
   */
  audienceOf(userId: string): readonly GroupKind[] {
    const own = GROUP_KINDS.filter((k) => this.secretaryGroups(userId).some((g) => g.kind === k));
    return own.length && !this.isAdmin(userId) ? own : GROUP_KINDS;
  }

  /** Whether any group of these kinds owes a record for the session. */
  concerns(kinds: readonly GroupKind[], session: ScheduleEntry): boolean {
    return this.kindsOwing(session).some((k) => kinds.includes(k));
  }

  /** The groups a user is secretary of (an admin's own groups too, none if they are no secretary). */
  secretaryGroups(userId: string): Group[] {
    return this.content.roster.groups.filter((g) => g.secretaries.some((s) => s.userId === userId));
  }

  /**
   * Whether a user may hand in (or amend: the same rule) a group's record for a session on `today`; the reason when
   * not. Admins may do so for any group, also late entries after the close.
   */
  mayHandIn(userId: string, group: Group, session: CalendarDate, today: CalendarDate): { ok: true } | { ok: false; why: HandInRefusal } {
    if (!this.groupsOf(userId).includes(group)) return { ok: false, why: 'not-secretary' };
    const entry = this.session(session);
    if (entry && !this.owes(group, entry)) return { ok: false, why: 'not-owed' };
    if (!this.isHeld(session, today)) return { ok: false, why: 'not-held' };
    if (this.isClosed(session, today) && !this.isAdmin(userId)) return { ok: false, why: 'closed' };
    return { ok: true };
  }

  mayAmend(userId: string, group: Group, session: CalendarDate, today: CalendarDate): { ok: true } | { ok: false; why: HandInRefusal } {
    return this.mayHandIn(userId, group, session, today);
  }

  // ── what each audience is told ───────────────────────────────────────────────────────────────────────────────

  /** The line about handing in records for an audience: its own rule (content `records.notice`, else the default). */
  notice(kind: GroupKind): string {
    const configured = this.content.roster.records.notice[kind];
    if (configured) return configured;
    // Else the plan's own requirement about records, in its words (it is written for the staff groups it binds).
    const own = this.content.plan.requirements.flatMap((r) => r.split(/(?<=。)/)).find((s) => /记录/.test(s) && /交|检查/.test(s));
    return kind === 'staff' && own
      ? `${own
          .trim()
          .replace(/^(同时|并且?|另外|此外)[，,]?/, '')
          .replace(/。$/, '')}（可发送“提交记录”在线提交）。`
      : GENERIC_NOTICE;
  }
}
