import ExcelJS from 'exceljs';
import { chat as sharedChat } from '../forms/form-chat.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { formatDateWithWeekday, formatShanghaiTime } from '../../src/content/dates.ts';
import { RecordPolicy, type RecordFields } from '../../src/records/index.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { readDocx } from './docx-text.ts';
import { signToken } from '../../src/http/signed-token.ts';

/**
 * The record book (.docx) and the spreadsheet (.xlsx) as people get them: asked for in chat, delivered as a WeCom file
 * message (the simulator keeps the uploaded bytes), then read back: every field of every record must be in the file,
 * on the page of its session, and nothing of another group's.
 */
const NOW = Date.parse('2016-10-03T02:00:00Z'); // 3 October: September's records still open (close on 5 October)
let a: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await a?.close();
  a = undefined;
});

/** A user's side of the chat in this file's app (test/forms/form-chat.ts). */
const chat = (user: string) => sharedChat(a!, user);

/** The last file message to a user, with the bytes uploaded for it. */
function lastFile(user: string) {
  const file = a!.sim
    .deliveriesTo(user)
    .filter((d) => d.msgtype === 'file')
    .at(-1);
  if (!file) return undefined;
  return a!.sim.uploads.get((file.body.file as { media_id: string }).media_id)!;
}

/** Varied records, made from a seed (names, counts, multi-line summaries, text a spreadsheet would run as a formula). */
function recordFor(seed: number, heldOn: string): RecordFields {
  const names = ['赵一', '钱二', '孙三', '李四', '周五', '吴六', '郑七', '王八'];
  const pick = (n: number) => names.filter((_, i) => (seed + i) % 3 === 0).slice(0, n);
  const count = 6 + (seed % 7);
  return {
    heldOn,
    place: seed % 4 === 0 ? null : `行政楼${300 + seed}室 <东侧> & 会议区`,
    attendees: { count, names: pick(3), ...(seed % 2 ? { expected: count + 2 } : {}) },
    absentees:
      seed % 2
        ? [
            { name: `缺${seed}甲`, reason: '出差' },
            { name: `缺${seed}乙`, reason: '病假' },
          ]
        : null,
    topic: `专题${seed}：学习《高等教育法》第${seed + 40}条`,
    questions: [`讨论题${seed}-一：如何落实？`, `讨论题${seed}-二：=SUM(A1:A9)`],
    summary: `第一段${seed}：大家结合工作实际，围绕依法治校展开讨论，认为要把学习成果转化为工作动力。\n第二段${seed}：+会上还约定下次学习的安排。`,
    recorder: names[seed % names.length]!,
  };
}

describe('the record book and the spreadsheet from chat', () => {
  it("an admin gets the semester notebook of the whole organisation: every field of every record on its session's page", async () => {
    const content = await semesterContent();
    a = await startTestApp({ clock: new ManualClock(NOW), content });
    const policy = RecordPolicy.of(content);
    // A record handed in through the real form (and amended: version 2), the rest straight into the store.
    const zhangsan = chat('zhangsan');
    await zhangsan('提交记录');
    for (const t of [
      '1',
      '9月20日',
      '好',
      '行政楼302',
      '应到15实到12',
      '赵七病假，钱八出差',
      '1',
      '全部',
      '大家围绕八项规定精神展开讨论，结合本部门实际，认为作风建设永远在路上，必须常抓不懈。',
      '完成',
      '张三',
    ])
      await zhangsan(t);
    expect(await zhangsan('确认')).toContain('提交成功');
    await zhangsan('修改记录 1');
    await zhangsan('修改 4');
    await zhangsan('行政楼305');
    expect(await zhangsan('确认')).toContain('（第 2 版）');
    const expected: Array<{ group: string; session: string; fields: RecordFields }> = [];
    let seed = 1;
    for (const session of policy.sessions().filter((e) => e.date < '2016-10-01')) {
      for (const group of policy.groupsOwing(session)) {
        if (group.id === 'staff-office' && session.date === '2016-09-20') continue; // the form's record
        if (group.id === 'staff-teaching' && session.date === '2016-09-27') continue; // left missing
        const fields = recordFor(seed++, session.date);
        await a.store.submissions.save({
          groupId: group.id,
          session: session.date,
          submittedBy: group.secretaries[0]!.userId,
          submittedAt: Date.parse(`${session.date}T12:00:00Z`),
          fields,
          idempotencyKey: `${group.id}${session.date}`,
        });
        expected.push({ group: group.id, session: session.date, fields });
      }
    }
    const formRecord = (await a.store.submissions.get('staff-office', '2016-09-20'))!;
    expected.push({ group: 'staff-office', session: '2016-09-20', fields: formRecord.fields });

    const reply = await chat('dangban-wang')('导出记录本 本学期');
    expect(reply).toContain('已将全部学习组2016年秋季学期的学习记录本（Word）发给您');
    const file = lastFile('dangban-wang')!;
    expect(file.filename).toBe('学习记录本-全部学习组-2016年秋季学期.docx');
    const doc = await readDocx(file.data);
    // Chinese text in 仿宋 (the body) and 宋体 (titles), as Word names the East Asian font.
    expect(doc.styles + doc.xml).toMatch(/w:eastAsia="仿宋"/);
    expect(doc.xml).toMatch(/w:eastAsia="宋体"/);
    // The organisation's cover first.
    expect(doc.pages[0]!.join('\n')).toContain('政治理论学习记录本');
    expect(doc.pages[0]!.join('\n')).toContain(content.organisation);
    for (const group of content.roster.groups) {
      const start = doc.pages.findIndex((p) => p.includes('政治理论学习记录本') && p.includes(`学习组：${group.name}`));
      expect(start, group.name).toBeGreaterThan(0);
      const cover = doc.pages[start]!.join('\n');
      expect(cover).toContain('学习期间：2016年秋季学期');
      expect(cover).toContain(`记录员：${group.secretaries.map((s) => s.name).join('、')}`);
      const owed = policy.sessionsOf(group).filter((e) => e.date <= '2016-10-03');
      for (const [i, session] of owed.entries()) {
        const page = doc.pages[start + 1 + i]!;
        const text = page.join('\n');
        expect(page[0]).toBe(`第${i + 1}次学习　${Number(session.date.slice(5, 7))}月${Number(session.date.slice(8))}日 ${session.activity}`);
        const record = expected.find((r) => r.group === group.id && r.session === session.date);
        if (!record) {
          expect(text).toContain('未提交学习讨论记录（未交）');
          continue;
        }
        const f = record.fields;
        expect(text).toContain(`学习日期\n${f.heldOn!.slice(0, 4)}年${formatDateWithWeekday(f.heldOn!)}`);
        expect(text).toContain(`学习地点\n${f.place ?? '未填'}`);
        expect(text).toContain(`应到人数\n${f.attendees!.expected !== undefined ? `${f.attendees!.expected}人` : '未填'}`);
        expect(text).toContain(`实到人数\n${f.attendees!.count}人${f.attendees!.names.length ? `（${f.attendees!.names.join('、')}）` : ''}`);
        expect(text).toContain(`缺席人员及原因\n${f.absentees?.length ? f.absentees.map((x) => `${x.name}（${x.reason}）`).join('、') : '无'}`);
        expect(text).toContain(`学习主题\n${f.topic}`);
        expect(text).toContain(`讨论题\n${f.questions!.map((q, n) => `${n + 1}. ${q}`).join('\n')}`);
        expect(text).toContain(`讨论情况\n${f.summary}`);
        expect(text).toContain(`记录人\n${f.recorder}`);
      }
      // The closing table of the group's sessions and its figures.
      const closing = doc.pages.find((p) => p[0] === `学习情况汇总　${group.name}`)!.join('\n');
      for (const session of owed) expect(closing).toContain(`${Number(session.date.slice(5, 7))}月${Number(session.date.slice(8))}日 ${session.activity}`);
      expect(closing).toMatch(/按时提交 \d+ 次，逾期提交 \d+ 次，未交 \d+ 次/);
    }
    // The amended record: version 2, 修改于 when and by whom, and its receipt.
    const amended = doc.pages.find((p) => p.join('\n').includes('行政楼305'))!.join('\n');
    expect(amended).toContain(`第 2 版，修改于 ${formatShanghaiTime(formRecord.submittedAt)}（张三）`);
    expect(amended).toContain(`回执编号\n${formRecord.receipt}（第 2 版）`);
    expect(amended).toContain('应到人数\n15人');
    expect(amended).toContain('缺席人员及原因\n赵七（病假）、钱八（出差）');
    // The missing record is said to be missing; the student group has no page for 业务学习活动.
    const teaching = doc.pages.find((p) => p[0] === '学习情况汇总　教学系部学习组')!.join('\n');
    expect(teaching).toContain('未交');
    const students = doc.pages.find((p) => p[0] === '学习情况汇总　会计专业学生学习组')!.join('\n');
    expect(students).not.toContain('业务学习活动');
    // The organisation's table of every group.
    const summary = doc.pages.at(-1)!.join('\n');
    expect(summary).toContain('各学习组学习情况汇总（2016年秋季学期）');
    for (const g of content.roster.groups) expect(summary).toContain(g.name);
  });

  it('a month for one group (导出记录本 院办 9月); a secretary gets their own groups only; others are refused politely', async () => {
    const content = await semesterContent();
    a = await startTestApp({ clock: new ManualClock(NOW), content });
    await a.store.submissions.save({
      groupId: 'staff-office',
      session: '2016-09-06',
      submittedBy: 'zhangsan',
      submittedAt: Date.parse('2016-09-07T02:00:00Z'),
      fields: recordFor(5, '2016-09-06'),
      idempotencyKey: 'k1',
    });
    await a.store.submissions.save({
      groupId: 'student-accounting',
      session: '2016-09-20',
      submittedBy: 'wangwu',
      submittedAt: Date.parse('2016-09-21T02:00:00Z'),
      fields: recordFor(8, '2016-09-20'),
      idempotencyKey: 'k2',
    });
    expect(await chat('dangban-li')('导出记录本 院办 9月')).toContain('已将院办党支部学习组2016年9月的学习记录本（Word）发给您');
    const month = lastFile('dangban-li')!;
    expect(month.filename).toBe('学习记录本-院办党支部学习组-2016年9月.docx');
    const text = (await readDocx(month.data)).paragraphs.join('\n');
    expect(text).toContain('学习期间：2016年9月');
    expect(text).toContain('专题5：学习《高等教育法》第45条');
    expect(text).not.toContain('专题8');
    expect(text).not.toContain('会计专业学生学习组');

    expect(await chat('zhangsan')('导出记录本')).toContain('已将院办党支部学习组、教学系部学习组2016年秋季学期的学习记录本（Word）发给您');
    const own = (await readDocx(lastFile('zhangsan')!.data)).paragraphs.join('\n');
    expect(own).toContain('院办党支部学习组');
    expect(own).not.toContain('会计专业学生学习组');
    expect(own).not.toContain('专题8');
    expect(await chat('wangwu')('导出记录本 院办')).toContain('您只能导出自己负责的学习组（会计专业学生学习组）的记录');
    expect(lastFile('wangwu')).toBeUndefined();
    expect(await chat('zhaoliu')('导出记录本')).toContain('您不在名单中');
    expect(await chat('dangban-wang')('导出记录本 火星组')).toContain('没有找到学习组“火星组”');
    expect(await chat('dangban-wang')('导出记录本 13月')).toContain('没有识别出时间“13月”');
  });

  it('the spreadsheet: one row per record with every field, version and dates, the grid beside it; no cell is a formula', async () => {
    const content = await semesterContent();
    a = await startTestApp({ clock: new ManualClock(NOW), content });
    const saved = [
      { groupId: 'staff-office', session: '2016-09-06', fields: recordFor(3, '2016-09-06') },
      { groupId: 'staff-teaching', session: '2016-09-20', fields: recordFor(4, '2016-09-20') },
      { groupId: 'student-accounting', session: '2016-09-20', fields: { ...recordFor(7, '2016-09-19'), recorder: '@王五', place: '-1楼' } },
    ];
    for (const [i, s] of saved.entries())
      await a.store.submissions.save({ ...s, submittedBy: 'dangban-wang', submittedAt: Date.parse('2016-09-22T02:00:00Z') + i, idempotencyKey: `x${i}` });
    await a.store.submissions.save({
      ...saved[0]!,
      fields: { ...saved[0]!.fields, topic: '改过的主题' },
      submittedBy: 'zhangsan',
      submittedAt: Date.parse('2016-10-02T02:00:00Z'),
      idempotencyKey: 'x9',
    });
    expect(await chat('dangban-wang')('导出记录表 9月')).toContain('学习讨论记录明细表（Excel）');
    const file = lastFile('dangban-wang')!;
    expect(file.filename).toBe('学习讨论记录明细-全部学习组-2016年9月.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.data as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('记录明细')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(sheet.rowCount).toBe(1 + saved.length);
    const rows = [...Array(saved.length).keys()].map((i) => Object.fromEntries(header.map((h, j) => [h, sheet.getRow(i + 2).getCell(j + 1).value])));
    for (const s of saved) {
      const row = rows.find(
        (r) =>
          r['学习组'] === content.roster.groups.find((g) => g.id === s.groupId)!.name && String(r['学习场次']).startsWith(`9月${Number(s.session.slice(8))}日`),
      )!;
      expect(row, s.groupId).toBeDefined();
      const f = s.groupId === 'staff-office' ? { ...s.fields, topic: '改过的主题' } : s.fields;
      const safe = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
      expect(row['学习日期']).toBe(f.heldOn);
      expect(row['地点']).toBe(f.place ? safe(f.place) : '');
      expect(row['实到人数']).toBe(f.attendees!.count);
      expect(row['应到人数']).toBe(f.attendees!.expected ?? null);
      expect(row['学习主题']).toBe(f.topic);
      expect(row['讨论题']).toBe(f.questions!.join('\n'));
      expect(row['讨论情况']).toBe(f.summary);
      expect(row['记录人']).toBe(safe(f.recorder!));
      expect(row['版本']).toBe(s.groupId === 'staff-office' ? 2 : 1);
    }
    const amended = rows.find((r) => r['版本'] === 2)!;
    expect(amended['首次提交时间']).toBe('2016-09-22 10:00');
    expect(amended['最后修改时间']).toBe('2016-10-02 10:00');
    expect(amended['最后修改人']).toBe('张三');
    // Nothing anywhere in the workbook is a formula.
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => expect(c.type, String(c.value)).not.toBe(ExcelJS.ValueType.Formula))));
    const grid = wb.getWorksheet('提交情况')!;
    expect((grid.getRow(4).values as unknown[]).slice(1)).toEqual([
      '会计专业学生学习组',
      '学生',
      '王五',
      '不需提交',
      expect.stringContaining('JL-20160920-'),
      '不需提交',
    ]);
  });

  it('the status page links to both files (the filtered period and kind, or one group), for its admin only', async () => {
    const secret = 's'.repeat(32);
    const content = await semesterContent();
    a = await startTestApp({ clock: new ManualClock(NOW), content, env: { STATUS_PAGE_SECRET: secret } });
    await a.store.submissions.save({
      groupId: 'staff-teaching',
      session: '2016-09-20',
      submittedBy: 'lisi',
      submittedAt: Date.parse('2016-09-21T02:00:00Z'),
      fields: recordFor(2, '2016-09-20'),
      idempotencyKey: 'p1',
    });
    const token = signToken(secret, { u: 'dangban-wang', exp: NOW + 60_000, k: 'link' });
    const page = await a.app.inject({ method: 'GET', url: `/status?month=9&token=${token}` });
    const cookie = /status_session=[^;]+/.exec(String(page.headers['set-cookie']))![0];
    expect(page.body).toContain('href="/status/notebook.docx?month=9"');
    expect(page.body).toContain('href="/status/records.xlsx?month=9"');
    expect(page.body).toContain('href="/status/notebook.docx?month=9&#38;group=staff-teaching"');
    const one = await a.app.inject({ method: 'GET', url: '/status/notebook.docx?month=9&group=staff-teaching', headers: { cookie } });
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-disposition']).toContain(encodeURIComponent('学习记录本-教学系部学习组-2016年9月.docx'));
    const text = (await readDocx(one.rawPayload)).paragraphs.join('\n');
    expect(text).toContain('专题2：学习《高等教育法》第42条');
    expect(text).not.toContain('院办党支部学习组');
    const students = await a.app.inject({ method: 'GET', url: '/status/records.xlsx?kind=student', headers: { cookie } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(students.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('记录明细')!.rowCount).toBe(1); // the staff group's record is not the students'
    expect((await a.app.inject({ method: 'GET', url: '/status/notebook.docx' })).statusCode).toBe(401);
    const forged = signToken('x'.repeat(32), { u: 'dangban-wang', exp: NOW + 60_000, k: 'link' });
    expect((await a.app.inject({ method: 'GET', url: `/status/records.xlsx?token=${forged}` })).statusCode).toBe(403);
  });
});
