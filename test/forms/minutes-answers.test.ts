import { describe, expect, it } from 'vitest';
import { OFFICE_NOT_ADMIN } from '../../handlers/office.ts';
import { SUMMARY, at, chat, formApp } from './form-chat.ts';

/**
 * Issue 13, points 1 and 2, through the real encrypted callback: answers written the way people write in chat are
 * read as what they mean, and no control word or command ever becomes a value. Each transcript ends in the saved
 * record's fields.
 */
const MON = at('2016-09-26 10:00'); // the Monday after the week-3 political study (Tuesday 20 September)
const WED = at('2016-09-21 10:00');

describe('answers in ordinary Chinese', () => {
  it.each([
    {
      now: MON,
      session: '上周二',
      heldOn: '上周二',
      attendees: '12个人',
      absentees: '李老师出差，赵老师病假',
      questions: '第一题和第二题',
      saved: {
        heldOn: '2016-09-20',
        attendees: { count: 12, names: [] },
        absentees: [
          { name: '李老师', reason: '出差' },
          { name: '赵老师', reason: '病假' },
        ],
        questionCount: 2,
      },
    },
    {
      now: WED,
      session: '9月20号',
      heldOn: '昨天',
      attendees: '应到15实到12',
      absentees: '李老师因出差请假',
      questions: '两题都讨论了',
      saved: { heldOn: '2016-09-20', attendees: { count: 12, expected: 15, names: [] }, absentees: [{ name: '李老师', reason: '出差' }], questionCount: 2 },
    },
    {
      now: WED,
      session: '周二',
      heldOn: '9.20',
      attendees: '全体15人',
      absentees: '赵老师（病假）',
      questions: '1和2',
      saved: { heldOn: '2016-09-20', attendees: { count: 15, names: [] }, absentees: [{ name: '赵老师', reason: '病假' }], questionCount: 2 },
    },
    {
      now: WED,
      session: '1',
      heldOn: '前天',
      attendees: '到会12人',
      absentees: '全到了',
      questions: '都讨论了',
      saved: { heldOn: '2016-09-19', attendees: { count: 12, names: [] }, absentees: [], questionCount: 2 },
    },
    {
      now: WED,
      session: '政治理论学习',
      heldOn: '９月２０日',
      attendees: '张三 李四 王五',
      absentees: '无',
      questions: '第二题',
      saved: { heldOn: '2016-09-20', attendees: { count: 3, names: ['张三', '李四', '王五'] }, absentees: [], questionCount: 1 },
    },
    {
      now: WED,
      session: '9.20',
      heldOn: '9月20日',
      attendees: '十二人：王五、赵六',
      absentees: '张三、李四出差',
      questions: '全部',
      saved: {
        heldOn: '2016-09-20',
        attendees: { count: 12, names: ['王五', '赵六'] },
        absentees: [
          { name: '张三', reason: '出差' },
          { name: '李四', reason: '出差' },
        ],
        questionCount: 2,
      },
    },
  ])('session “$session”, date “$heldOn”, “$attendees”, “$absentees”, “$questions”', async (c) => {
    const a = await formApp({ now: c.now });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    expect(await say(c.session)).toContain('（2/9）实际学习日期是哪天？');
    expect(await say(c.heldOn)).toContain('（3/9）在哪里学习？');
    await say('302会议室');
    expect(await say(c.attendees)).toContain('（5/9）缺席人员及原因？');
    expect(await say(c.absentees)).toContain('（6/9）学习主题是？');
    await say('好');
    expect(await say(c.questions)).toContain('（8/9）请简要记录讨论情况');
    await say(SUMMARY);
    await say('完成');
    await say('好');
    expect(await say('确认')).toContain('提交成功！');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields).toMatchObject({
      heldOn: c.saved.heldOn,
      place: '302会议室',
      attendees: c.saved.attendees,
      absentees: c.saved.absentees,
      summary: SUMMARY,
      recorder: '王五',
    });
    expect(saved.fields.questions).toHaveLength(c.saved.questionCount);
  });

  it('"上周二" at the date step is the date, not a schedule question; a real question there is still answered', async () => {
    const a = await formApp({ now: MON });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('1');
    const question = await say('上周二学什么');
    expect(question).toContain('政治理论学习'); // the schedule's answer
    expect(question).toContain('（您正在填写《学习讨论记录》）\n（2/9）实际学习日期是哪天？');
    const answer = await say('上周二');
    expect(answer).toContain('（3/9）在哪里学习？');
    expect(answer).not.toContain('您正在填写');
    expect((await a.store.forms.get('wangwu'))!.answers.heldOn).toBe('2016-09-20');
  });

  it('an answer that cannot be read is re-asked with an example, and the re-ask names what was wrong', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    await say('好');
    await say('302会议室');
    expect(await say('张三、3')).toContain('没有识别出人数或名单');
    await say('12人');
    expect(await say('李老师出差，赵老师')).toContain('“赵老师”缺少缺席原因。');
    expect(await say('李老师出差，赵老师病假')).toContain('（6/9）');
    await say('好');
    expect(await say('第三题')).toContain('请回复题目序号（1—2）');
    expect(await say('1')).toContain('（8/9）');
    await say(SUMMARY);
    await say('完成');
    await say('好');
    await say('确认');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields).toMatchObject({
      attendees: { count: 12, names: [] },
      absentees: [
        { name: '李老师', reason: '出差' },
        { name: '赵老师', reason: '病假' },
      ],
    });
    expect(saved.fields.questions).toHaveLength(1);
  });
  it('the place as written (在线 stays 在线), and 我 as the recorder means the secretary', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '周二下午', '在线会议（腾讯会议）', '12人', '无', '好', '1', SUMMARY, '完成']) await say(t);
    expect(await say('我')).toContain('9. 记录人：王五');
    await say('确认');
    expect((await a.store.submissions.get('student-accounting', '2016-09-20'))!.fields).toMatchObject({
      heldOn: '2016-09-20',
      place: '在线会议（腾讯会议）',
      recorder: '王五',
    });
  });
});

describe('attendance with how many should have come', () => {
  it('应到/实到/缺 are all kept and shown; a count that does not add up and absentees that contradict it are questioned', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '好', '302会议室']) await say(t);
    expect(await say('应到十五人，实到十二人，缺两人')).toContain('缺席应为 3 人，而不是 2 人，请核对');
    expect(await say('应到15人，实到12人，缺3人')).toContain('（5/9）缺席人员及原因？（应到15人，实到12人，缺席 3 人）');
    expect(await say('无')).toContain('有 3 人缺席');
    expect(await say('李老师出差，赵老师病假，钱老师事假，孙老师生病')).toContain('这里列出了 4 人，请核对');
    expect(await say('李老师出差，赵老师病假')).toContain('（6/9）学习主题是？'); // fewer names than missing: not every reason is known
    for (const t of ['好', '1', SUMMARY, '完成']) await say(t);
    const summary = await say('好');
    expect(summary).toContain('4. 参加人员：应到15人，实到12人\n5. 缺席人员及原因：李老师（出差）、赵老师（病假）');
    // A head count changed afterwards so that the absentees no longer fit: they are asked again, then the summary.
    await say('修改 4');
    const changed = await say('实到14人，1人请假');
    expect(changed).toContain('参加人员已改为应到15人，实到14人，与已填的缺席人员不一致');
    expect(changed).toContain('（5/9）缺席人员及原因？');
    expect(await say('李老师出差')).toContain('4. 参加人员：应到15人，实到14人\n5. 缺席人员及原因：李老师（出差）');
    expect(await say('确认')).toContain('提交成功！');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields).toMatchObject({ attendees: { count: 14, expected: 15, names: [] }, absentees: [{ name: '李老师', reason: '出差' }] });
    expect(await chat(a, 'dangban-wang')('查看记录 会计专业学生学习组 9月20日')).toContain('参加：应到15人，实到14人');
  });

  it('a name both present and absent is questioned', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '好', '302会议室', '12人：王五、赵六']) await say(t);
    expect(await say('赵六（病假）')).toContain('“赵六”同时在参加名单和缺席名单中，请核对。');
    expect(await say('钱八（病假）')).toContain('（6/9）');
  });
});

describe('quotes inside quotes', () => {
  it('a summary that starts with 改/修改 and quotes a 讨论题 is text, not 修改<项>; nested quotes are shown paired', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'zhangsan');
    await say('提交记录');
    for (const t of ['院办', '好', '好', '302会议室', '12人', '无', '好', '全部']) await say(t);
    const first = '改进了学习方法，大家围绕讨论题“如何理解‘七项规定’与‘八项规定’的关系”逐一发言，认为要从严要求自己';
    const second = '修改了“关于‘七项规定’的讨论题”的表述。';
    expect(await say(first)).toContain(`已记下（共 ${[...first].length} 字）`);
    expect(await say(second)).toContain('已记下');
    expect(await say('改讨论')).toContain('要修改哪一项？请回复“修改 N”：\n8. 讨论题\n9. 讨论情况'); // a name that fits two: asked
    expect(await say('完成')).toContain('（10/10）记录人是？');
    const summary = await say('好');
    // The questions quote “中央八项规定” themselves: inside the question's own quotes they become ‘’.
    expect(summary).toContain('8. 讨论题：“广大教职员工如何践行‘中央八项规定’和教育部‘七项规定’？”；“广大教职员工应如何为建设');
    // The confirmation shows the summary whole (issue 20: what is confirmed is what was read).
    expect(summary).toContain(`9. 讨论情况：${first}\n${second}`);
    expect(await say('修改情况')).toContain('（9/10）请简要记录讨论情况');
    expect(await say('完成')).toContain('请核对');
    expect(await say('确认')).toContain('提交成功！');
    expect((await a.store.submissions.get('staff-office', '2016-09-20'))!.fields.summary).toBe(`${first}\n${second}`);
  });
});

describe('control words and commands are never values', () => {
  it('好 where no default is offered, a 确认 a step early, 完成 and a command at a free-text step: answered, not saved', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    await say('好');
    const okAtPlace = await say('好'); // the place offers no default (the group has no earlier record)
    expect(okAtPlace).toContain('这一项没有可直接采用的内容，请填写。');
    expect(okAtPlace).toContain('（3/9）在哪里学习？');
    expect(await say('确认')).toContain('还没有填完，请先回答这一项。');
    expect(await say('完成')).toContain('（3/9）在哪里学习？');
    const mine = await say('我的记录');
    expect(mine).toContain('您的学习组还没有提交记录');
    expect(mine).toContain('（您正在填写《学习讨论记录》）\n（3/9）在哪里学习？');
    expect(await say('未提交')).toContain(OFFICE_NOT_ADMIN);
    await say('302会议室');
    expect(await say('好')).toContain('这一项没有可直接采用的内容'); // attendees
    expect(await say('确认')).toContain('还没有填完');
    await say('12人：王五、赵六');
    await say('无');
    await say('好'); // the topic offers a default
    await say('全部');
    await say(SUMMARY);
    await say('完成');
    expect(await say('确认')).toContain('还没有填完'); // a step early: at the recorder
    expect(await say('好')).toContain('请核对');
    await say('确认');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields).toMatchObject({
      place: '302会议室',
      attendees: { count: 12, names: ['王五', '赵六'] },
      absentees: [],
      summary: SUMMARY,
      recorder: '王五',
    });
  });

  it('返回 from the last step shows the summary kept so far; 好/确认/我的记录/进度 there are not absorbed', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '好', '302会议室', '12人', '无', '好', '1']) await say(t);
    await say(SUMMARY.slice(0, 30));
    await say(SUMMARY.slice(30));
    expect(await say('完成')).toContain('（9/9）记录人是？');
    const back = await say('返回');
    expect(back).toContain('（8/9）请简要记录讨论情况');
    const kept = `${SUMMARY.slice(0, 30)}\n${SUMMARY.slice(30)}`;
    expect(back).toContain(`已记下 ${[...kept].length} 字：${SUMMARY.slice(0, 30)}`);
    expect(back).toContain('回复“完成”保留');
    expect(await say('我的记录')).toContain('您的学习组还没有提交记录');
    expect(await say('进度')).toContain('8. 讨论情况：');
    expect(await say('未提交')).toContain(OFFICE_NOT_ADMIN);
    expect(await say('好')).toContain('（9/9）记录人是？'); // keeps what was written
    expect(await say('确认')).toContain('还没有填完');
    expect(await say('好')).toContain('请核对');
    expect(await say('确认')).toContain('提交成功！');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields.summary).toBe(`${SUMMARY.slice(0, 30)}\n${SUMMARY.slice(30)}`);
    expect(saved.fields.recorder).toBe('王五');
  });

  it('at the summary step: 确认 with nothing written is not text, 重写 starts again, a command is answered', async () => {
    const a = await formApp({ now: WED });
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '好', '302会议室', '12人', '无', '好', '1']) await say(t);
    expect(await say('确认')).toContain('请先写下讨论情况');
    expect(await say('好')).toContain('请先写下讨论情况');
    await say('写错了的内容');
    expect(await say('重写')).toContain('已清空，请重新填写。');
    expect(await say('统计')).toContain(OFFICE_NOT_ADMIN);
    await say(SUMMARY);
    expect(await say('确认')).toContain('（9/9）记录人是？'); // with text kept, 确认 finishes it
    await say('好');
    await say('确认');
    expect((await a.store.submissions.get('student-accounting', '2016-09-20'))!.fields.summary).toBe(SUMMARY);
  });
});
