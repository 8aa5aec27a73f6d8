import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/http/signed-token.ts';
import { SUMMARY, at, chat, formApp, instances, storeBackends } from './form-chat.ts';

/**
 * Issue 13, points 3, 5 and 6, through the real encrypted callback, on lowdb and on PostgreSQL (two instances on one
 * schema there): a record a group already has is announced, never replaced blind; people are named from the roster;
 * the group's previous place and recorder are offered. Each transcript ends in the saved record's fields.
 */
const WED = at('2016-09-21 10:00');
type Say = (text: string) => Promise<string>;

/** lisi (教学系部学习组's only-group secretary) hands in the 9月20日 record from start to receipt. */
async function lisiSubmits(say: Say): Promise<string> {
  await say('提交记录');
  for (const t of ['好', '好', '行政楼302', '10人', '无', '好', '1', SUMMARY, '完成', '好']) await say(t);
  return say('确认');
}

describe.each(storeBackends)('a group that already has a record for the session ($name)', (backend) => {
  it('a second secretary is told who handed it in, when, and its receipt; 查看 shows it; 修改这份记录 amends it as version 2', async () => {
    const [a, b] = await instances(backend, WED);
    expect(await lisiSubmits(chat(a, 'lisi'))).toContain('回执编号：JL-20160920-001');
    const say = chat(b, 'zhangsan'); // the other instance, when there are two
    await say('提交记录');
    await say('2'); // 教学系部学习组
    const told = await say('1'); // 9月20日 政治理论学习: handed in already, so chosen by number, not offered as the default
    expect(told).toContain('教学系部学习组 9月20日 政治理论学习已经有记录了：李四于9月21日 10:00提交，回执 JL-20160920-001。');
    expect(told).toContain('回复“修改这份记录”在它的基础上修改，“查看”查看内容；要选其他场次请回复“返回”。');
    expect(told).not.toContain('实际学习日期是哪天');
    expect(await say('好')).toContain('“好”没有说明要怎样做。请回复“修改这份记录”或“查看”；要选其他场次请回复“返回”。');
    const shown = await say('查看');
    expect(shown).toContain('【学习讨论记录】教学系部学习组 · 9月20日 政治理论学习');
    expect(shown).toContain('由 李四 提交');
    expect(shown).toContain('地点：行政楼302');
    expect(shown).toContain('修改这份记录');
    const loaded = await say('修改这份记录');
    expect(loaded).toContain('已载入这份记录（李四于9月21日 10:00提交，回执 JL-20160920-001）');
    expect(loaded).toContain('4. 地点：行政楼302');
    await say('修改地点');
    expect(await say('图书馆报告厅')).toContain('4. 地点：图书馆报告厅');
    const receipt = await say('确认');
    expect(receipt).toContain('修改已保存！\n回执编号：JL-20160920-001（第 2 版）');
    expect(receipt).toContain('提交人：张三');
    const saved = (await a.store.submissions.get('staff-teaching', '2016-09-20'))!;
    expect(saved).toMatchObject({ revision: 2, submittedBy: 'zhangsan' });
    expect(saved.fields).toEqual({
      heldOn: '2016-09-20',
      place: '图书馆报告厅',
      attendees: { count: 10, names: [] },
      absentees: [],
      topic: expect.any(String),
      questions: [expect.any(String)],
      summary: SUMMARY,
      recorder: '李四',
    });
    expect(saved.history).toMatchObject([{ revision: 1, submittedBy: 'lisi', fields: { place: '行政楼302' } }]);
  });

  it('saved by someone else while filling in: 确认 does not replace it; the user is told and chooses', async () => {
    const [a, b] = await instances(backend, WED);
    const zhangsan = chat(b, 'zhangsan');
    await zhangsan('提交记录');
    await zhangsan('2');
    expect(await zhangsan('好')).toContain('实际学习日期是哪天'); // no record yet
    for (const t of ['好', '会议室A', '9人', '无', '好', '2', SUMMARY, '完成']) await zhangsan(t);
    expect(await zhangsan('好')).toContain('请核对');
    await lisiSubmits(chat(a, 'lisi')); // meanwhile, on the other instance
    const refused = await zhangsan('确认');
    expect(refused).toContain('这次没有保存。');
    expect(refused).toContain('在您填写期间，教学系部学习组 9月20日 政治理论学习的记录已经由李四于9月21日 10:00提交，回执 JL-20160920-001。');
    expect((await a.store.submissions.get('staff-teaching', '2016-09-20'))!).toMatchObject({
      revision: 1,
      submittedBy: 'lisi',
      fields: { place: '行政楼302' },
    });
    expect(await zhangsan('查看')).toContain('地点：行政楼302');
    const mine = await zhangsan('修改这份记录');
    expect(mine).toContain('将用您填写的内容修改JL-20160920-001（保存为第 2 版）');
    expect(mine).toContain('地点：会议室A');
    expect(await zhangsan('确认')).toContain('回执编号：JL-20160920-001（第 2 版）');
    const saved = (await a.store.submissions.get('staff-teaching', '2016-09-20'))!;
    expect(saved).toMatchObject({ revision: 2, submittedBy: 'zhangsan', fields: { place: '会议室A', attendees: { count: 9, names: [] }, recorder: '张三' } });
    expect(saved.history[0]).toMatchObject({ submittedBy: 'lisi', fields: { place: '行政楼302' } });
  });

  it("the group's previous place and recorder are offered (同上次) and taken with 好", async () => {
    const [a, b] = await instances(backend, WED);
    const first = chat(a, 'lisi');
    await first('提交记录');
    for (const t of ['2', '好', '302会议室', '12人', '无', '好', '1', SUMMARY, '完成', '赵六']) await first(t);
    expect(await first('确认')).toContain('回执编号：JL-20160906-001');
    const say = chat(b, 'lisi');
    await say('提交记录');
    await say('好'); // 9月20日
    expect(await say('好')).toContain('（3/9）在哪里学习？\n同上次：302会议室（直接回复“好”采用）；如没有，可回复“跳过”。');
    await say('好');
    for (const t of ['15人', '无', '好', '全部', SUMMARY]) await say(t);
    expect(await say('完成')).toContain('（9/9）记录人是？\n同上次：赵六（直接回复“好”采用）。');
    await say('好');
    await say('确认');
    const saved = (await b.store.submissions.get('staff-teaching', '2016-09-20'))!;
    expect(saved.fields).toMatchObject({ place: '302会议室', recorder: '赵六', attendees: { count: 15, names: [] } });
  });
});

describe('people by name', () => {
  it("receipts, 我的记录, the office's lists and record, the export and the status page name the roster's people", async () => {
    const secret = 's'.repeat(32);
    const a = await formApp({ now: WED, env: { STATUS_PAGE_SECRET: secret } });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '好', '302会议室', '12人', '无', '好', '1', SUMMARY, '完成', '好']) await say(t);
    const receipt = await say('确认');
    expect(receipt).toContain('提交人：王五');
    expect(receipt).not.toContain('wangwu');
    expect(await say('我的记录')).toContain('回执 JL-20160920-001 · 王五 9月21日 10:00');
    // Someone the roster does not know is shown by their WeCom id.
    await a.store.submissions.save({
      groupId: 'staff-office',
      session: '2016-09-20',
      submittedBy: 'temp-7',
      submittedAt: WED,
      fields: { place: '会议室' },
      idempotencyKey: 'k',
    });
    const admin = chat(a, 'dangban-wang');
    const listed = await admin('已提交');
    expect(listed).toContain('· 会计专业学生学习组 — 回执 JL-20160920-001，王五 9月21日 10:00 提交');
    expect(listed).toContain('· 院办党支部学习组 — 回执 JL-20160920-002，temp-7 9月21日 10:00 提交');
    expect(await admin('查看记录 会计专业学生学习组 9月20日')).toContain('9月21日 10:00 由 王五 提交');
    await admin('导出 9月20日');
    const file = a.sim.deliveriesTo('dangban-wang').find((d) => d.msgtype === 'file')!;
    const csv = a.sim.uploads.get((file.body.file as { media_id: string }).media_id)!.data.toString('utf8');
    expect(csv).toContain('会计专业学生学习组,学生,王五,2016-09-21 10:00 JL-20160920-001'); // secretaries by name, no WeCom id
    expect(csv).not.toContain('wangwu');
    const token = signToken(secret, { u: 'dangban-wang', exp: WED + 60_000, k: 'link' });
    const page = await a.app.inject({ method: 'GET', url: `/status/record/student-accounting/2016-09-20?token=${token}` });
    expect(page.body).toContain('9月21日 10:00 · 王五');
    expect(page.body).not.toContain('wangwu');
    expect((await a.store.submissions.get('student-accounting', '2016-09-20'))!).toMatchObject({
      submittedBy: 'wangwu',
      fields: { place: '302会议室', recorder: '王五' },
    });
  });
});

describe('the step counter', () => {
  it('keeps its total when the group turns out to have a record: the question about it is not a numbered step', async () => {
    const a = await formApp({ now: WED });
    await lisiSubmits(chat(a, 'lisi'));
    const say = chat(a, 'zhangsan'); // two groups: the group is asked, ten steps
    expect(await say('提交记录')).toContain('（1/10）为哪个学习组提交？');
    expect(await say('2')).toContain('（2/10）记录的是哪一次学习？');
    const told = await say('1');
    expect(told).toContain('已经有记录了');
    expect(told).not.toMatch(/（\d+\/\d+）/);
    const progress = await say('进度');
    expect(progress).toContain('2. 学习场次：9月20日 政治理论学习\n3. 学习日期：（待填）');
    expect(progress).not.toContain('已有记录');
    expect(await say('返回')).toContain('（2/10）记录的是哪一次学习？');
    expect(await say('2')).toContain('（3/10）实际学习日期是哪天？'); // 9月6日: no record there
    expect(await say('修改 4')).toContain('（4/10）在哪里学习？');
  });
});
