import type { Content } from '../content/content.ts';
import { addDays, shanghaiDate, type CalendarDate } from '../content/dates.ts';
import type { ScheduleEntry } from '../content/plan.ts';

/**
 * The one rule book of the discussion records. Everything that asks "does this group owe a record for this session",
 * "can it still be handed in", "is it late", "may this person hand it in or amend it" asks here: the record form,
 * the office's views, the status page, the reminders, the Monday push and the exports. A change to the deadline rule
 * is a change to this file.
 *
 * - Which sessions: those needing a record in every plan the content holds (the seed, content/plans/, and plans
 *   imported at run time), so a plan added later is collected like the seed and the older plans' records stay
 *   counted. Records are kept by session date, so where two plans list the same day (a month's notice inside a
 *   semester plan) it is one session, taken from the plan that answers about that day (Content.planOn).
 * - Which groups: every group, unless a rule of content/roster.yaml `records.owedBy` (by the session's organisers or
 *   activity; the first that matches wins) names the kinds of group it concerns: 业务学习活动, organised by 各部门, is
 *   the staff's, so no student group owes a record for it, is counted as missing or is reminded.
 * - When: a record can be handed in from the day the session is held (isHeld); it is owed from the day after (isDue:
 *   the meeting may be that evening); it is late when first handed in after its plan's report deadline, else after
 *   the end of the session's month (the plan asks for records monthly); it closes `closeAfterMonthEndDays` after that, after which only admins may
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

  /** The sessions of the plans as they were last read (plans come and go at run time: rebuilt when they change). */
  #known: { plans: readonly Content[]; sessions: ScheduleEntry[]; planOf: Map<CalendarDate, Content> } | undefined;

  #read() {
    const plans = this.content.plans;
    if (this.#known?.plans === plans) return this.#known;
    const planOf = new Map<CalendarDate, Content>();
    const byDate = new Map<CalendarDate, ScheduleEntry>();
    for (const plan of plans) {
      for (const e of plan.schedule) {
        if (!e.needsRecord) continue;
        const held = planOf.get(e.date);
        // The same day in two plans: the plan answering about that day keeps it (else the first, by start).
        if (held && (held === this.content.planOn(e.date) || plan !== this.content.planOn(e.date))) continue;
        planOf.set(e.date, plan);
        byDate.set(e.date, e);
      }
    }
    const sessions = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
    return (this.#known = { plans, sessions, planOf });
  }

  // ── which sessions, which groups ──────────────────────────────────────────────────────────────────────────────

  /** Every session of every plan that needs a record, oldest first. */
  sessions(): ScheduleEntry[] {
    return this.#read().sessions;
  }

  /** The plan a session (by its date) belongs to; undefined when no plan lists a session needing a record that day. */
  planOf(date: CalendarDate): Content | undefined {
    return this.#read().planOf.get(date);
  }

  /** How a page or a command names a plan: its id (content/plans/<id>, imported ones), `seed` for the seed plan. */
  static planKey(plan: Content): string {
    return plan.plan.id ?? 'seed';
  }

  /** The sessions needing a record of one plan, oldest first. */
  sessionsOfPlan(plan: Content): ScheduleEntry[] {
    return this.sessions().filter((e) => this.planOf(e.date) === plan);
  }

  /**
   * The plan the office means by 本学期, 本月 or 第3周 on a day: the one covering it, else the last one begun before
   * it (the records of a plan just ended are still being collected), else the first.
   */
  planAround(day: CalendarDate): Content {
    const plans = this.content.plans;
    return this.content.planOn(day) ?? [...plans].reverse().find((p) => p.coverage && p.coverage.from <= day) ?? plans[0] ?? this.content;
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

  /** The session needing a record held on a day, of whichever plan lists it. */
  session(date: CalendarDate): ScheduleEntry | undefined {
    const plan = this.planOf(date);
    return plan?.schedule.find((e) => e.date === date && e.needsRecord);
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

  /**
   * The last day a record handed in counts as on time: the report deadline its plan's notice gives (于3月17日前报送,
   * the first dated one on or after the session), else the end of the session's month (records are asked monthly).
   */
  onTimeUntil(session: CalendarDate): CalendarDate {
    const noticeDeadline = this.planOf(session)
      ?.plan.deadlines.flatMap((d) => (d.date && d.date >= session ? [d.date] : []))
      .sort()[0];
    if (noticeDeadline) return noticeDeadline;
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

  /**
   * A plan's own words on one audience's records: the sentences of its requirements that speak of records, a sentence
   * naming 学生 being the student groups' and any other the staff groups' (a plan is written for the staff: "教职工以自学
   * 为主 … 同时认真做好学习讨论记录，按月将…；学生各学习组也要…做好每次学习讨论记录，以备检查考核"). Empty when it says
   * nothing about that audience's records.
   */
  planRule(kind: GroupKind, plan: Content = this.content): string[] {
    return plan.plan.requirements
      .flatMap((r) => r.split('。'))
      .map((s) => s.trim())
      .filter((s) => /记录/.test(s) && /学生/.test(s) === (kind === 'student'))
      .map((s) => `${s.replace(/^(同时|并且?|另外|此外)[，,]?/, '')}。`);
  }

  /**
   * The line about handing in records for an audience, under a plan (the plan of the week being pushed; this
   * content's plan by default): the plan's own rule for that audience when it has one (a later notice may send the
   * records elsewhere than the seed plan did), else content `records.notice` (written by the office), else the default.
   */
  notice(kind: GroupKind, plan: Content = this.content): string {
    const own = this.planRule(kind, plan).join('');
    if (own) return `${own.replace(/。$/, '')}（可发送“提交记录”在线提交）。`;
    return this.content.roster.records.notice[kind] ?? GENERIC_NOTICE;
  }
}
