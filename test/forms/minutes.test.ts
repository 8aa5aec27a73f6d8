import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

// Wednesday 21 September 2016, 10:00 in Shanghai: the day after the week-3 political study session.
const WED = Date.parse('2016-09-21T02:00:00Z');
const SUMMARY_1 = '同学们结合专业学习实际，围绕诚信与信用体系建设展开了讨论，';
const SUMMARY_2 = '认为青年学生应当从按时还款、诚信考试做起，树立信用意识。';

let apps: Array<Awaited<ReturnType<typeof startTestApp>>> = [];
afterEach(async () => {
  for (const a of apps) await a.close();
  apps = [];
});

async function app(options: { now?: number; dataDir?: string } = {}) {
  const store = options.dataDir ? await LowdbStore.open(options.dataDir) : undefined;
  const a = await startTestApp({ clock: new ManualClock(options.now ?? WED), content: await semesterContent(), ...(store ? { store } : {}) });
  apps.push(a);
  return a;
}

/** A user's side of the chat: sends a text through the real callback and returns everything the bot answered. */
function chat(a: Awaited<ReturnType<typeof app>>, user: string) {
  return async (text: string) => {
    const before = a.sim.deliveries.length;
    const r = await a.wecomSide.sendText(user, text);
    await a.bot.idle();
    const viaApi = a.sim.deliveries
      .slice(before)
      .filter((d) => d.to === user)
      .map((d) => d.text);
    return [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...viaApi].join('\n');
  };
}

async function fillToConfirm(say: (t: string) => Promise<string>) {
  await say('提交记录');
  await say('好'); // session: 9月20日 政治理论学习
  await say('好'); // held on that day
  await say('行政楼 302 会议室');
  await say('12人：王五、赵六');
  await say('赵七（生病）');
  await say('好'); // topic: the student theme
  await say('1、2');
  await say(SUMMARY_1);
  await say(SUMMARY_2);
  return say('完成');
}

describe('the discussion record by chat', () => {
  it('an absence at the attendance step is not saved as an attendee; the next step is pointed to', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    await say('好');
    await say('教室');
    expect(await say('小张请假了')).toContain('缺席的人员在下一项填写');
    expect(await say('18人，名单：小王、小李等')).toContain('缺席');
    const state = await a.store.forms.get('wangwu');
    expect(state?.answers.attendees).toEqual({ count: 18, names: ['小王', '小李'] });
  });

  it('starts however a secretary says it (我要交学习记录, 我来提交一下讨论记录)', async () => {
    const a = await app();
    for (const [user, text] of [
      ['wangwu', '我要交学习记录'],
      ['lisi', '我来提交一下讨论记录'],
      ['zhangsan', '补交记录吧'],
    ] as const) {
      expect(await chat(a, user)(text), text).toContain('开始填写《学习讨论记录》');
    }
  });

  it('happy path: a student secretary submits, gets a receipt, sees it under 我的记录', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    const start = await say('提交记录');
    expect(start).toContain('开始填写《学习讨论记录》');
    // Only sessions open for records (9月27日 has not been held yet) that a student group owes (业务学习活动 is the staff's).
    expect(start).toContain('（1/9）记录的是哪一次学习？\n1. 9月20日 政治理论学习\n直接回复');
    expect(start).toContain('直接回复“好”采用：9月20日 政治理论学习');
    expect(await say('好')).toContain('（2/9）实际学习日期是哪天？');
    expect(await say('9.20')).toContain('（3/9）在哪里学习？');
    expect(await say('行政楼 302 会议室')).toContain('（4/9）参加人数和/或名单？');
    expect(await say('12人：王五、赵六')).toContain('（5/9）缺席人员及原因？');
    expect(await say('赵七（生病）、钱八 实习')).toContain('（6/9）学习主题是？');
    expect(await say('好')).toContain('（7/9）讨论了哪些题目？\n1. 广大青年学生应如何以实际行动践行社会主义核心价值观（诚信）？');
    expect(await say('全部')).toContain('（8/9）请简要记录讨论情况（至少 30 字）');
    expect(await say(SUMMARY_1)).toContain('已记下（共 29 字）');
    expect(await say('完成')).toContain('至少需要 30 个字');
    await say(SUMMARY_2);
    expect(await say('完成')).toContain('（9/9）记录人是？\n直接回复“好”采用：王五');
    const summary = await say('好');
    expect(summary).toContain(
      '请核对：\n1. 学习场次：9月20日 政治理论学习\n2. 学习日期：9月20日（星期二）\n3. 地点：行政楼 302 会议室\n4. 参加人员：12人（王五、赵六）\n5. 缺席人员及原因：赵七（生病）、钱八（实习）\n6. 学习主题：专题二：加强信用体系建设',
    );
    const receipt = await say('确认');
    expect(receipt).toContain(
      '提交成功！\n回执编号：JL-20160920-001\n学习组：会计专业学生学习组\n学习场次：9月20日（星期二） 政治理论学习\n提交时间：9月21日 10:00',
    );
    const saved = await a.store.submissions.get('student-accounting', '2016-09-20');
    expect(saved).toMatchObject({ receipt: 'JL-20160920-001', revision: 1, submittedBy: 'wangwu' });
    expect(saved!.fields).toMatchObject({
      heldOn: '2016-09-20',
      place: '行政楼 302 会议室',
      attendees: { count: 12, names: ['王五', '赵六'] },
      recorder: '王五',
    });
    expect(saved!.fields.summary).toBe(`${SUMMARY_1}\n${SUMMARY_2}`);
    expect(await say('我的记录')).toContain('1. 会计专业学生学习组 · 9月20日（星期二） 政治理论学习 · 回执 JL-20160920-001');
  });

  it('a secretary of two groups chooses the group; bad input is re-asked with an example, help offered after three', async () => {
    const a = await app();
    const say = chat(a, 'zhangsan');
    expect(await say('提交记录')).toContain('（1/10）为哪个学习组提交？\n1. 院办党支部学习组\n2. 教学系部学习组');
    expect(await say('5')).toBe('没有找到这个学习组，请回复列表中的序号或组名。\n例如：1，或组名“会计专业学生学习组”');
    expect(await say('教学系部')).toContain('（2/10）记录的是哪一次学习？');
    expect(await say('9月21日')).toContain('9月21日（星期三）没有需要提交记录的学习活动。');
    expect(await say('第一次')).toContain('没有识别出是哪一次学习');
    const third = await say('随便');
    expect(third).toContain('多次没有识别成功：回复“帮助”查看填写说明，或“取消”放弃填写。');
    expect(await say('帮助')).toContain('可用的回复：取消（放弃）、返回（上一步）、跳过（选填项）');
    expect(await say('1')).toContain('（3/10）实际学习日期是哪天？');
  });

  it('the group by a part of its name as people say it; several fitting groups are asked about', async () => {
    const a = await app();
    const admin = chat(a, 'dangban-li'); // an admin: all three groups
    expect(await admin('提交记录')).toContain('（1/10）为哪个学习组提交？\n1. 院办党支部学习组\n2. 教学系部学习组\n3. 会计专业学生学习组');
    expect(await admin('学习组那个')).toContain(
      '“学习组那个”可能是以下几个学习组，请回复序号：\n1. 院办党支部学习组\n2. 教学系部学习组\n3. 会计专业学生学习组',
    );
    expect(await admin('教学楼在哪')).toContain('没有找到这个学习组');
    expect(await admin('会计学生那组')).toContain('（2/10）记录的是哪一次学习？');
    expect((await a.store.forms.get('dangban-li'))!.answers.group).toBe('student-accounting');
    const say = chat(a, 'zhangsan');
    await say('提交记录');
    expect(await say('院办那个')).toContain('（2/10）记录的是哪一次学习？');
    expect((await a.store.forms.get('zhangsan'))!.answers.group).toBe('staff-office');
    await say('返回');
    expect(await say('教学那组')).toContain('（2/10）记录的是哪一次学习？');
    expect((await a.store.forms.get('zhangsan'))!.answers.group).toBe('staff-teaching');
  });

  it('commands: 返回, 跳过 (optional only), 进度, 修改 N and 修改<字段名>, 取消', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    expect(await say('返回')).toContain('（1/9）记录的是哪一次学习？');
    await say('好');
    await say('好');
    expect(await say('跳过')).toContain('（4/9）参加人数和/或名单？');
    expect(await say('跳过')).toContain('“参加人员”是必填项，不能跳过。');
    const progress = await say('进度');
    expect(progress).toContain('已填写：\n1. 学习场次：9月20日 政治理论学习');
    expect(progress).toContain('3. 地点：（未填）\n4. 参加人员：（待填）');
    expect(await say('修改地点')).toContain('（3/9）在哪里学习？');
    expect(await say('图书馆报告厅')).toContain('（4/9）参加人数和/或名单？');
    expect(await say('取消')).toBe('已取消填写《学习讨论记录》，草稿已删除。');
    expect(await a.store.forms.get('wangwu')).toBeUndefined();
    expect(await say('第47条')).toContain('《中华人民共和国高等教育法》第四十七条');
  });

  it('at the summary: 修改 N jumps to the field and comes back to the summary; 确认 saves once', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await fillToConfirm(say);
    expect(await say('好')).toContain('请核对');
    expect(await say('修改 4')).toContain('（4/9）参加人数和/或名单？');
    const back = await say('十五人');
    expect(back).toContain('请核对');
    expect(back).toContain('4. 参加人员：15人');
    expect(await say('随便说点什么')).toContain('请回复“确认”提交，“修改 N”修改第 N 项');
    expect(await say('提交')).toContain('回执编号：JL-20160920-001');
  });

  it('a question in the middle of the form is answered, then the form asks again', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    const onDate = await say('升旗仪式是哪天');
    expect(onDate).toContain('9月12日（星期一，第2周） 升旗仪式');
    expect(onDate).toContain('（您正在填写《学习讨论记录》）\n（2/9）实际学习日期是哪天？');
    await say('好');
    const onPlace = await say('第四十七条是什么');
    expect(onPlace).toContain('《中华人民共和国高等教育法》第四十七条');
    expect(onPlace).toContain('（3/9）在哪里学习？');
    expect((await a.store.forms.get('wangwu'))!.answers.place).toBeUndefined();
  });

  it('survives a restart: a new process on the same data folder continues where the user was', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'forms-'));
    const first = await app({ dataDir });
    const say1 = chat(first, 'wangwu');
    await say1('提交记录');
    await say1('好');
    await say1('好');
    await first.close();
    apps = apps.filter((x) => x !== first);
    const second = await app({ dataDir });
    const say2 = chat(second, 'wangwu');
    expect(await say2('继续')).toContain('（3/9）在哪里学习？');
    expect(await say2('行政楼')).toContain('（4/9）');
  });

  it('idle for 30 minutes: the draft pauses, messages are answered normally with a hint once, 继续 resumes', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    a.clock.advance(31 * 60_000);
    const q = await say('第47条');
    expect(q).toContain('《中华人民共和国高等教育法》第四十七条');
    expect(q).toContain('您的《学习讨论记录》草稿已暂停（已有 31 分钟未回复）');
    const again = await say('学习主题');
    expect(again).toContain('学习主题');
    expect(again).not.toContain('草稿已暂停');
    expect(await say('继续')).toContain('好的，接着填写。\n\n（2/9）实际学习日期是哪天？');
    a.clock.advance(8 * 24 * 3600_000);
    expect(await say('好')).not.toContain('（3/9）'); // the draft is gone after 7 days
    expect(await a.store.forms.get('wangwu')).toBeUndefined();
  });

  it('two messages at once are handled one after the other without corrupting the state', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await say('提交记录');
    const [r1, r2] = await Promise.all([say('好'), say('好')]);
    expect(`${r1}\n${r2}`).toContain('（2/9）');
    expect(`${r1}\n${r2}`).toContain('（3/9）');
    const state = await a.store.forms.get('wangwu');
    expect(state).toMatchObject({ step: 4, answers: { session: '2016-09-20', heldOn: '2016-09-20', existingChoice: null } }); // at the place
  });

  it('someone who is not a secretary is told politely who can submit', async () => {
    const a = await app();
    expect(await chat(a, 'zhaoliu')('提交记录')).toBe(
      '抱歉，只有各学习组的记录员可以提交学习讨论记录，您不在记录员名单中。如需登记，请联系管理员（王老师（党委宣传部）、李老师（机关党工委））。',
    );
    expect(await a.store.forms.get('zhaoliu')).toBeUndefined();
  });

  it('amending after submit keeps the history; after the month closes only admins may', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await fillToConfirm(say);
    await say('好');
    await say('确认');
    expect(await say('修改记录')).toContain('要修改哪一条？回复“1”（或“好”）修改这一条。');
    const summary = await say('修改记录 1');
    expect(summary).toContain('（修改）');
    expect(summary).toContain('4. 参加人员：12人（王五、赵六）');
    await say('修改 4');
    await say('13人');
    expect(await say('确认')).toContain('修改已保存！\n回执编号：JL-20160920-001（第 2 版）');
    const saved = await a.store.submissions.get('student-accounting', '2016-09-20');
    expect(saved).toMatchObject({ revision: 2, fields: { attendees: { count: 13, names: [] } } });
    expect(saved!.history).toHaveLength(1);
    expect(saved!.history[0]!.fields).toMatchObject({ attendees: { count: 12 } });

    a.clock.set(Date.parse('2016-10-06T02:00:00Z')); // September's records closed on 5 October
    expect(await say('修改记录 1')).toContain('9月20日学习的记录已于10月5日截止提交和修改');
    expect(await a.store.forms.get('wangwu')).toBeUndefined(); // said at once, no form to fill in first
    const admin = chat(a, 'dangban-wang');
    await admin('修改记录 1');
    expect(await admin('确认')).toContain('第 3 版');
  });

  it('a draft of an older form version is offered 继续 / 重新开始, not crashed on', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    const state = (await a.store.forms.get('wangwu'))!;
    await a.store.forms.put('wangwu', { ...state, version: 0, answers: { ...state.answers, oldField: 'x' } }, state.revision);
    expect(await say('好')).toContain('您的草稿是旧版本：回复“继续”保留已填内容接着填写，或“重新开始”');
    expect(await say('继续')).toContain('已按新版本保留您填过的内容。\n\n（2/9）');
    expect((await a.store.forms.get('wangwu'))!.answers).not.toHaveProperty('oldField');
  });

  it('one active form per user: starting again asks to continue or cancel', async () => {
    const a = await app();
    const say = chat(a, 'wangwu');
    await say('提交记录');
    expect(await say('提交记录')).toContain('您还有一份未完成的《学习讨论记录》。请回复“继续”接着填写');
    expect(await say('继续')).toContain('（1/9）');
  });
});
