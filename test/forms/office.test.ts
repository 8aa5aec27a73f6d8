import { mkdtempSync } from 'node:fs';
import { chat as sharedChat } from './form-chat.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { ManualClock } from '../../src/clock.ts';
import { OFFICE_NOT_ADMIN } from '../../handlers/office.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

const WED = Date.parse('2016-09-21T02:00:00Z');
let a: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await a?.close();
  a = undefined;
});

/** A user's side of the chat in this file's app (test/forms/form-chat.ts). */
const chat = (user: string) => sharedChat(a!, user);

/** Hands in a record for a group and session straight into the store, as the form would (by its first secretary). */
async function submitted(groupId: string, session: string, at: number, by?: string) {
  const submittedBy = by ?? { 'staff-office': 'zhangsan', 'staff-teaching': 'lisi', 'student-accounting': 'wangwu' }[groupId]!;
  await a!.store.submissions.save({
    groupId,
    session,
    submittedBy,
    submittedAt: at,
    fields: { place: '会议室', summary: '讨论情况……' },
    idempotencyKey: `${groupId}${session}`,
  });
}

describe("谁还没交 and the party office's tools", () => {
  it('lists the missing groups of every session still open, with their secretaries, grouped by kind; a group with two secretaries names both', async () => {
    a = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent() });
    await submitted('student-accounting', '2016-09-20', WED);
    const answer = await chat('dangban-wang')('谁还没交');
    expect(answer).toContain('【未提交名单】尚未截止的2次学习（9月6日、9月20日）');
    // 9月6日 is still open and owed by the staff groups (业务学习活动, organised by 各部门, is not the students'): an
    // office that asks sees it too, not only the latest session.
    expect(answer).toContain('9月6日 业务学习活动：已提交 0 / 应提交 2');
    expect(answer.slice(0, answer.indexOf('9月20日 政治理论学习：'))).not.toContain('会计专业学生学习组');
    const sept20 = answer.slice(answer.indexOf('9月20日 政治理论学习：'));
    expect(sept20).toContain('9月20日 政治理论学习：已提交 1 / 应提交 3');
    expect(sept20).toContain('教职工：\n· 院办党支部学习组 — 记录员：张三\n· 教学系部学习组 — 记录员：李四、张三');
    expect(sept20).not.toContain('会计专业学生学习组 — ');
  });

  it('a month and the semester, with submitted, late and missing; 已提交 and 统计', async () => {
    a = await startTestApp({ clock: new ManualClock(Date.parse('2016-10-03T02:00:00Z')), content: await semesterContent() });
    await submitted('staff-office', '2016-09-06', Date.parse('2016-09-07T02:00:00Z'));
    await submitted('staff-office', '2016-09-20', Date.parse('2016-09-21T02:00:00Z'));
    await submitted('staff-teaching', '2016-09-27', Date.parse('2016-10-02T02:00:00Z')); // after September ended: late
    const say = chat('dangban-li');
    const month = await say('9月谁还没交');
    expect(month).toContain('9月6日 业务学习活动：已提交 1 / 应提交 2');
    expect(month).toContain('9月27日 业务学习活动：已提交 1 / 应提交 2');
    const semester = await say('未提交 本学期');
    expect(semester).toContain('【未提交名单】2016年秋季学期');
    const done = await say('已提交 9月');
    expect(done).toContain('· 教学系部学习组 — 回执 JL-20160927-001，李四 10月2日 10:00 提交（逾期）');
    expect(await say('统计')).toContain('9月：应提交 7，已提交 3（其中逾期 1），未提交 4');
    const record = await say('查看记录 院办党支部学习组 9月20日');
    expect(record).toContain('【学习讨论记录】院办党支部学习组 · 9月20日 政治理论学习');
    expect(record).toContain('地点：会议室');
    expect(record).toContain('由 张三 提交');
    expect(await say('查看记录 教学系部学习组 9月20日')).toContain('教学系部学习组还没有提交9月20日 政治理论学习的记录。记录员：李四、张三');
    expect(await say('查看记录 院办那个 9月20日')).toContain('【学习讨论记录】院办党支部学习组 · 9月20日 政治理论学习');
    expect(await say('查看记录 学习组 9月20日')).toContain('“学习组”可能是：院办党支部学习组、教学系部学习组、会计专业学生学习组。');
  });

  it('a session not held yet is 未到期 in every view, never 未交: 统计, 谁还没交 by month and semester, 已提交, 导出', async () => {
    a = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent() }); // 9月27日 is next week
    await submitted('staff-office', '2016-09-20', WED);
    const say = chat('dangban-wang');
    const stats = '9月：应提交 5，已提交 1（其中逾期 0），未提交 4；未到期：9月27日 业务学习活动';
    expect(await say('统计')).toContain(stats);
    expect(await say('统计 9月')).toContain(stats);
    expect(await say('统计 第4周')).toContain('9月：未到期：9月27日 业务学习活动');
    for (const scope of ['9月', '本学期']) {
      const missing = await say(`谁还没交 ${scope}`);
      expect(missing).toContain('9月20日 政治理论学习：已提交 1 / 应提交 3');
      expect(missing).toContain('9月27日 业务学习活动：未到期');
      expect(missing).not.toContain('9月27日 业务学习活动：已提交');
    }
    expect(await say('已提交 9月')).toContain('9月27日 业务学习活动：未到期');
    await say('导出 9月');
    const file = a.sim.deliveriesTo('dangban-wang').find((d) => d.msgtype === 'file')!;
    const rows = a.sim.uploads
      .get((file.body.file as { media_id: string }).media_id)!
      .data.toString('utf8')
      .slice(1)
      .trim()
      .split('\r\n')
      .map((r) => r.split(','));
    expect(rows[2]).toEqual(['教学系部学习组', '教职工', '李四、张三', '未交', '未交', '未到期']);
    // The students owe no record for 业务学习活动 (organised by 各部门): never 未交 there.
    expect(rows[3]).toEqual(['会计专业学生学习组', '学生', '王五', '不需提交', '未交', '不需提交']);
  });

  it('on the day of a session its record is not owed yet (未到期), though it can be handed in; from the next day it is', async () => {
    a = await startTestApp({ clock: new ManualClock(Date.parse('2016-09-27T09:00:00+08:00')), content: await semesterContent() });
    const say = chat('dangban-wang');
    expect(await say('谁还没交 9月')).toContain('9月27日 业务学习活动：未到期');
    await chat('zhangsan')('提交记录');
    expect(await chat('zhangsan')('1')).toContain('1. 9月27日 业务学习活动');
    a.clock.advance(24 * 3600_000);
    expect(await say('谁还没交 9月')).toContain('9月27日 业务学习活动：已提交 0 / 应提交 2');
  });

  it('someone who is not an admin gets a polite refusal and nothing about other groups', async () => {
    a = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent() });
    // A secretary is pointed to their own groups' records; staff in no group to the admins by name.
    for (const cmd of ['谁还没交', '已提交', '统计', '提醒未提交', '导出']) {
      expect(await chat('zhangsan')(cmd)).toBe(`${OFFICE_NOT_ADMIN}如需查看本组的记录，请发送“我的记录”。`);
      const staff = await chat('zhaoliu')(cmd);
      expect(staff).toContain(OFFICE_NOT_ADMIN);
      expect(staff).not.toContain('我的记录');
      for (const admin of a.content.roster.admins) expect(staff).toContain(admin.name);
    }
    expect(a.sim.deliveries).toHaveLength(0);
  });

  it('提醒未提交 messages each missing secretary once (one message for all their groups), and not again the same day, even after a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'office-'));
    a = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent(), store: await LowdbStore.open(dir) });
    await submitted('student-accounting', '2016-09-20', WED);
    const first = await chat('dangban-wang')('提醒未提交');
    // 9月6日 (owed by the two staff groups) and 9月20日 (by the same two: the students handed in) are both still open.
    expect(first).toContain('未提交的学习组 2 个');
    expect(first).toContain('已提醒记录员 2 位');
    const zhangsan = a.sim.deliveriesTo('zhangsan');
    expect(zhangsan).toHaveLength(1);
    expect(zhangsan[0]!.text).toContain('9月20日 政治理论学习（10月5日截止）');
    expect(zhangsan[0]!.text).toContain('9月6日 业务学习活动（10月5日截止）');
    expect(a.sim.deliveriesTo('lisi')).toHaveLength(1);
    // The student group owes no 业务学习活动 record and has handed in 9月20日: its secretary is not reminded.
    expect(a.sim.deliveriesTo('wangwu')).toHaveLength(0);
    await a.close(); // a restart on the same data folder
    a = await startTestApp({ clock: new ManualClock(WED + 3600_000), content: await semesterContent(), store: await LowdbStore.open(dir) });
    const again = await chat('dangban-li')('提醒未提交');
    expect(again).toContain('已提醒记录员 0 位；今天已提醒过、未重复发送 2 位');
    expect(a.sim.deliveriesTo('zhangsan')).toHaveLength(0);
    a.clock.advance(24 * 3600_000);
    expect(await chat('dangban-li')('提醒未提交 9月20日')).toContain('已提醒记录员 2 位');
  });

  it('导出 sends a CSV file (UTF-8 with BOM) of groups × sessions that opens back to the same table', async () => {
    a = await startTestApp({ clock: new ManualClock(Date.parse('2016-10-03T02:00:00Z')), content: await semesterContent() });
    await submitted('staff-office', '2016-09-20', Date.parse('2016-09-21T02:00:00Z'));
    const reply = await chat('dangban-wang')('导出 本学期');
    expect(reply).toContain('已将2016年秋季学期的提交情况表（CSV，可用 Excel 打开）发给您');
    const file = a.sim.deliveriesTo('dangban-wang').find((d) => d.msgtype === 'file')!;
    const upload = a.sim.uploads.get((file.body.file as { media_id: string }).media_id)!;
    expect(upload.filename).toBe('学习讨论记录提交情况-2016年秋季学期.csv');
    expect([...upload.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = upload.data
      .toString('utf8')
      .slice(1)
      .trim()
      .split('\r\n')
      .map((r) => r.split(','));
    expect(rows[0]).toEqual(['学习组', '类别', '记录员', '9月6日 业务学习活动', '9月20日 政治理论学习', '9月27日 业务学习活动']);
    expect(rows[1]).toEqual(['院办党支部学习组', '教职工', '张三', '未交', '2016-09-21 10:00 JL-20160920-001', '未交']);
    expect(rows[2]).toEqual(['教学系部学习组', '教职工', '李四、张三', '未交', '未交', '未交']);
    expect(rows[3]).toEqual(['会计专业学生学习组', '学生', '王五', '不需提交', '未交', '不需提交']);
    expect(rows).toHaveLength(4);
  });

  it('导出 while WeCom refuses to send: the file waits in the outbox and goes out once, when WeCom is back', async () => {
    a = await startTestApp({ clock: new ManualClock(Date.parse('2016-10-03T02:00:00Z')), content: await semesterContent(), sleep: async () => {} });
    a.sim.faults.push({ api: 'message/send', errcode: 45009, errmsg: 'api freq out of limit', times: 20 });
    const reply = await chat('dangban-wang')('导出 本学期');
    expect(reply).toContain('企业微信暂时无法送达，将在一小时内自动重发');
    expect(a.sim.deliveriesTo('dangban-wang').filter((d) => d.msgtype === 'file')).toHaveLength(0);
    a.sim.faults.length = 0;
    a.clock.advance(60_000);
    await a.outbox.sweep();
    await a.outbox.sweep();
    const files = a.sim.deliveriesTo('dangban-wang').filter((d) => d.msgtype === 'file');
    expect(files).toHaveLength(1);
    expect(a.sim.uploads.get((files[0]!.body.file as { media_id: string }).media_id)!.filename).toBe('学习讨论记录提交情况-2016年秋季学期.csv');
  });
});

describe('automatic reminders (when enabled in the roster)', () => {
  it('two days before September closes, the missing secretaries; the day after, the admins get the list; never twice', async () => {
    const base = await semesterContent();
    const { Content } = await import('../../src/content/content.ts');
    const content = new Content(base.plan, base.schedule, base.documents, base.broadcast, {
      ...base.roster,
      reminders: { enabled: true, daysBeforeClose: 2, time: '09:00' },
    });
    a = await startTestApp({ clock: new ManualClock(Date.parse('2016-10-03T01:00:00Z')), content });
    await submitted('staff-office', '2016-09-06', Date.parse('2016-09-07T02:00:00Z'));
    await submitted('staff-office', '2016-09-20', Date.parse('2016-09-21T02:00:00Z'));
    await submitted('staff-office', '2016-09-27', Date.parse('2016-09-28T02:00:00Z'));
    expect(await a.reminders.runFor('2016-10-02')).toEqual({});
    const due = await a.reminders.runFor('2016-10-03'); // September closes on 5 October
    expect(due.reminded).toMatchObject({ groups: 2, sent: 3, skipped: 0 });
    expect(a.sim.deliveriesTo('zhangsan')[0]!.text).toContain('· 教学系部学习组：9月6日 业务学习活动（10月5日截止）');
    expect(a.sim.deliveriesTo('zhangsan')[0]!.text).not.toContain('院办党支部学习组');
    expect((await a.reminders.runFor('2016-10-03')).reminded).toMatchObject({ sent: 0, skipped: 3 });
    const closed = await a.reminders.runFor('2016-10-06');
    expect(closed.reported).toMatchObject({ sent: 2 });
    const report = a.sim.deliveriesTo('dangban-wang')[0]!.text;
    expect(report).toContain('【9月学习讨论记录已截止】已提交 3 / 应提交 7。');
    expect(report).not.toContain('会计专业学生学习组（9月6日');
    expect(report).toContain('· 会计专业学生学习组（9月20日 政治理论学习）— 记录员：王五');
    expect((await a.reminders.runFor('2016-10-06')).reported).toMatchObject({ sent: 0, skipped: 2 });
    expect(a.sim.deliveries).toHaveLength(5);
  });
});
