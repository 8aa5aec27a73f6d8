import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Content, loadContent } from '../../src/content/content.ts';
import { buildAgenda } from '../../src/jobs/agenda.ts';
import { offeredSessions } from '../../handlers/minutes-sessions.ts';
import { neutraliseCell, parseScope, RecordPolicy, recordFieldsOf, statusCsv, statusMatrix, type Group } from '../../src/records/index.ts';
import { semesterContent, FIXTURE_CONTENT } from '../helpers/content.ts';

const text = (m: ReturnType<typeof buildAgenda>) => m.map((p) => ('markdown' in p ? p.markdown.content : p.text.content)).join('\n');

/** The seed content with other record rules: the same questions must get the same answers from every part. */
async function withRules(owedBy: Content['roster']['records']['owedBy']): Promise<Content> {
  const c = await semesterContent();
  return new Content(c.plan, c.schedule, c.documents, c.broadcast, { ...c.roster, records: { ...c.roster.records, owedBy } });
}

/**
 * Every part that decides which groups owe a session's record asks RecordPolicy: the office's matrix (谁还没交, 统计,
 * 导出, reminders, the status page), the form's list of sessions and the push's notice. Checked for the seed's rules
 * and for rules the seed does not have (held out: a rule by activity, a rule giving a session to students only).
 */
describe('which groups owe a record: one answer everywhere', () => {
  const cases: Array<[string, Content['roster']['records']['owedBy'] | undefined]> = [
    ['the seed roster', undefined],
    ['no rules (every group owes every session)', []],
    ["by activity: 政治理论学习 is the students' only", [{ activities: ['政治理论学习'], kinds: ['student'] }]],
    ['by organiser, both kinds', [{ organisers: ['各部门'], kinds: ['staff', 'student'] }]],
  ];
  it.each(cases)('%s', async (_name, owedBy) => {
    const content = owedBy ? await withRules(owedBy) : await semesterContent();
    const policy = RecordPolicy.of(content);
    const today = '2016-12-31';
    const scope = parseScope('本学期', content, today)!;
    const cells = statusMatrix(content, scope, [], today);
    for (const session of policy.sessions()) {
      for (const group of content.roster.groups) {
        const owes = policy.owes(group, session);
        // The office: a cell (so counted, listed as 未交 and reminded) exactly when the group owes it.
        expect(
          cells.some((c) => c.group.id === group.id && c.session.date === session.date),
          `${group.id} ${session.date}`,
        ).toBe(owes);
        // The form: offered to an admin entering it for that group exactly when owed.
        expect(offeredSessions(content, today, true, group).some((e) => e.date === session.date)).toBe(owes);
      }
      // The push: a target read by one kind of group mentions records in a week exactly when that kind owes one.
      for (const target of content.broadcast.targets.filter((t) => t.audience)) {
        const week = content.schedule.filter((e) => e.week === session.week && (!target.activities || target.activities.includes(e.activity)));
        const owed = week.some((e) => policy.kindsOwing(e).includes(target.audience!));
        const pushed = text(buildAgenda(content, session.week, target));
        expect(pushed.includes(policy.notice(target.audience!)), `${target.name} week ${session.week}`).toBe(owed);
      }
    }
  });

  it("the seed: 业务学习活动 (organised by 各部门) is the staff groups', 政治理论学习 everyone's", async () => {
    const content = await semesterContent();
    const policy = RecordPolicy.of(content);
    const kinds = Object.fromEntries(policy.sessions().map((e) => [e.date, policy.kindsOwing(e)]));
    expect(kinds).toEqual({
      '2016-09-06': ['staff'],
      '2016-09-20': ['staff', 'student'],
      '2016-09-27': ['staff'],
      ...Object.fromEntries(
        policy
          .sessions()
          .filter((e) => e.date > '2016-09-27')
          .map((e) => [e.date, e.activity === '业务学习活动' ? ['staff'] : ['staff', 'student']]),
      ),
    });
  });
});

describe('each audience is told its own rule', () => {
  it("the student push quotes the students' rule, the staff push the staff's (按月 … 机关党工委); a target for all gets both, labelled", async () => {
    const content = await semesterContent();
    const target = (name: string) => content.broadcast.targets.find((t) => t.name === name)!;
    const students = text(buildAgenda(content, 3, target('管理学院学生学习组群')));
    expect(students).toContain('以备检查考核');
    expect(students).not.toContain('机关党工委');
    const staff = text(buildAgenda(content, 3, target('管理学院教职工群')));
    expect(staff).toContain('按月将《政治理论学习记录本》交到机关党工委和各党总支检查');
    expect(staff).not.toContain('以备检查考核');
    const all = text(buildAgenda(content, 3, target('党总支委员')));
    expect(all).toContain(`教职工学习组：${RecordPolicy.of(content).notice('staff')}`);
    expect(all).toContain(`学生学习组：${RecordPolicy.of(content).notice('student')}`);
    // Week 4 has only 业务学习活动: the target for all is told the staff's rule alone, unlabelled.
    const week4 = text(buildAgenda(content, 4, target('党总支委员')));
    expect(week4).toContain(RecordPolicy.of(content).notice('staff'));
    expect(week4).not.toContain('以备检查考核');
  });

  it('a target for students that leaves out a session they owe a record for is refused at start-up, with its line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'records-content-'));
    await cp(FIXTURE_CONTENT, dir, { recursive: true });
    const file = path.join(dir, 'targets.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('      - 政治理论学习\n', ''));
    const err = await loadContent(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      /targets\.yaml:\d+ \(targets\.1\.activities\): 推送对象“管理学院学生学习组群”面向学生学习组，但没有推送需要他们提交记录的活动：政治理论学习/,
    );
  });
});

describe('when and who', () => {
  it('open from the day held, owed from the next, late after the month, closed after the grace days; admins after that', async () => {
    const content = await semesterContent();
    const p = RecordPolicy.of(content);
    const staff = content.roster.groups.find((g) => g.kind === 'staff')! as Group;
    const student = content.roster.groups.find((g) => g.kind === 'student')! as Group;
    const days = content.roster.closeAfterMonthEndDays;
    expect([
      p.isHeld('2016-09-20', '2016-09-19'),
      p.isHeld('2016-09-20', '2016-09-20'),
      p.isDue('2016-09-20', '2016-09-20'),
      p.isDue('2016-09-20', '2016-09-21'),
    ]).toEqual([false, true, false, true]);
    expect(p.closingDate('2016-09-20')).toBe(`2016-10-${String(days).padStart(2, '0')}`);
    expect(p.isLate('2016-09-20', Date.parse('2016-09-30T23:59:00+08:00'))).toBe(false);
    expect(p.isLate('2016-09-20', Date.parse('2016-10-01T00:01:00+08:00'))).toBe(true);
    const secretary = staff.secretaries[0]!.userId;
    const after = p.closingDate('2016-09-20').replace(/\d\d$/, (d) => String(Number(d) + 1).padStart(2, '0'));
    expect(p.mayHandIn(secretary, staff, '2016-09-20', '2016-09-20')).toEqual({ ok: true });
    expect(p.mayHandIn(secretary, staff, '2016-09-20', after)).toEqual({ ok: false, why: 'closed' });
    expect(p.mayAmend(content.roster.admins[0]!.userId, staff, '2016-09-20', after)).toEqual({ ok: true });
    expect(p.mayHandIn(student.secretaries[0]!.userId, staff, '2016-09-20', '2016-09-21')).toEqual({ ok: false, why: 'not-secretary' });
    expect(p.mayHandIn(student.secretaries[0]!.userId, student, '2016-09-06', '2016-09-07')).toEqual({ ok: false, why: 'not-owed' });
    expect(p.mayHandIn(secretary, staff, '2016-09-27', '2016-09-26')).toEqual({ ok: false, why: 'not-held' });
  });
});

describe("the record's fields", () => {
  it("only the record's own fields are saved, checked: a wrong type is refused, the form's other facts dropped", () => {
    const f = recordFieldsOf({
      group: 'g',
      session: '2016-09-20',
      heldOn: '2016-09-20',
      place: null,
      attendees: { count: 3, names: ['甲'] },
      summary: 'x',
      existing: { receipt: 'r' },
    });
    expect(f).toEqual({ heldOn: '2016-09-20', place: null, attendees: { count: 3, names: ['甲'] }, summary: 'x' });
    expect(() => recordFieldsOf({ attendees: { count: 'many' } })).toThrow();
  });

  it('every export neutralises a cell that a spreadsheet would run as a formula', async () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\t=1']) expect(neutraliseCell(bad).startsWith("'")).toBe(true);
    for (const ok of ['张三', '2016-09-21 10:00', '']) expect(neutraliseCell(ok)).toBe(ok);
    const c = await semesterContent();
    const roster = { ...c.roster, groups: [{ ...c.roster.groups[0]!, name: "=cmd|' /C calc'!A0", secretaries: [{ userId: 'x', name: '@evil' }] }] };
    const content = new Content(c.plan, c.schedule, c.documents, c.broadcast, roster);
    const scope = parseScope('本学期', content, '2016-09-21')!;
    const csv = statusCsv(content, scope, statusMatrix(content, scope, [], '2016-09-21'));
    const row = csv.split('\r\n')[1]!;
    expect(row.startsWith("'=cmd")).toBe(true);
    expect(row).toContain(",'@evil,");
  });
});
