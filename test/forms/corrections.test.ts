import { describe, expect, it } from 'vitest';
import { SUMMARY, at, chat, formApp } from './form-chat.ts';

/**
 * Issue 20: a correction naming its field in words is applied to that field at any step (the summary and the
 * confirmation included) and never saved into the summary; a line of the summary that asks the bot something is
 * asked about; the confirmation shows the summary whole. Through the real encrypted callback.
 */
const WED = at('2016-09-21 10:00');
const TO_SUMMARY = ['提交记录', '院办', '好', '好', '302会议室', '12人', '无', '好', '全部'];

describe('corrections named in words, at any step of the record form', () => {
  it('at the summary step: 地点写错了，改成302 changes the place, the text written so far stays, and the summary never has it', async () => {
    const a = await formApp({ now: WED });
    try {
      const say = chat(a, 'zhangsan');
      for (const t of TO_SUMMARY) await say(t);
      expect(await say(SUMMARY)).toContain('已记下');
      const fixed = await say('地点写错了，改成行政楼302');
      expect(fixed).toContain('已把“地点”改为：行政楼302');
      expect(fixed).toContain('请简要记录讨论情况');
      expect(fixed).toContain(`已记下 ${[...SUMMARY].length} 字`);
      expect(await say('完成')).toContain('记录人');
      const confirm = await say('好');
      expect(confirm).toContain('4. 地点：行政楼302');
      // At the confirmation: 实到改成14 and 日期应该是20号.
      expect(await say('实到改成10')).toContain('已把“参加人员”改为：10人');
      expect(await say('日期应该是20号')).toContain('3. 学习日期：9月20日');
      expect(await say('确认')).toContain('提交成功');
      const saved = (await a.store.submissions.get('staff-office', '2016-09-20'))!;
      expect(saved.fields.summary).toBe(SUMMARY);
      expect(saved.fields.place).toBe('行政楼302');
      expect(JSON.stringify(saved.fields.attendees)).toContain('10');
    } finally {
      await a.close();
    }
  });

  it('实到改成14 after 应到15实到15 changes the head count and keeps 应到; 应到 said again replaces both', async () => {
    const a = await formApp({ now: WED });
    try {
      const say = chat(a, 'zhangsan');
      for (const t of ['提交记录', '院办', '好', '好', '302会议室', '应到15人 实到15人']) await say(t);
      expect(await say('实到改成14')).toContain('已把“参加人员”改为：应到15人，实到14人');
      expect(await say('人数写错了 应到16实到14')).toContain('已把“参加人员”改为：应到16人，实到14人');
    } finally {
      await a.close();
    }
  });

  it('at another step: the field named changes, and the step being filled is asked again', async () => {
    const a = await formApp({ now: WED });
    try {
      const say = chat(a, 'zhangsan');
      for (const t of ['提交记录', '院办', '好', '好', '302会议室']) await say(t);
      const reply = await say('地点不对，应该是行政楼201');
      expect(reply).toContain('已把“地点”改为：行政楼201');
      expect(reply).toContain('参加人数');
      expect(await say('实到人数改一下，应到15实到14')).toContain('已把“参加人员”改为：应到15人，实到14人');
      const bad = await say('日期改成9月31日');
      expect(bad).toContain('没有改动“学习日期”');
    } finally {
      await a.close();
    }
  });

  it('a summary line that asks the bot something is asked about, kept when sent labelled; the confirmation shows a long summary whole', async () => {
    const a = await formApp({ now: WED });
    try {
      const say = chat(a, 'zhangsan');
      for (const t of TO_SUMMARY) await say(t);
      const asked = await say('下周学什么？');
      expect(asked).toContain('没有记入讨论情况');
      const long = `${SUMMARY}${'大家结合本部门工作实际逐条对照检查，提出了改进作风的具体措施。'.repeat(6)}`;
      expect(await say(long)).toContain('已记下');
      expect(await say('讨论情况：有人问下周学什么？')).toContain('已记下');
      await say('完成');
      const confirm = await say('好');
      expect(confirm).toContain(long);
      expect(confirm).toContain('有人问下周学什么？');
      expect(confirm).not.toContain('\n下周学什么？');
    } finally {
      await a.close();
    }
  });
});

describe('a secretary reads a record back in chat', () => {
  it("查看记录 1, the receipt number, and 看一下我交的那份 show the record whole; another group's receipt is not shown", async () => {
    const a = await formApp({ now: WED });
    try {
      const say = chat(a, 'zhangsan');
      for (const t of TO_SUMMARY) await say(t);
      await say(SUMMARY);
      await say('完成');
      await say('好');
      const receipt = /JL-\d{8}-\d{3}/.exec(await say('确认'))![0];
      for (const text of ['查看', '查看记录 1', '看看1', receipt, `查看 ${receipt.toLowerCase()}`, '看一下我交的那份', '我交的那份记录', '查看记录']) {
        const shown = await say(text);
        expect(shown, text).toContain(SUMMARY);
        expect(shown, text).toContain('302会议室');
      }
      expect(await say('查看记录 5')).toContain('没有第 5 条记录');
      // 王五 is the secretary of another group: zhangsan's receipt is not his to read.
      expect(await chat(a, 'wangwu')(receipt)).toContain('没有找到回执');
    } finally {
      await a.close();
    }
  });
});

describe('answers restated or said in words', () => {
  it('哦不对，是302 at a step is its answer; 20人都到了 is a head count with everyone there', async () => {
    const a = await formApp({ now: WED });
    try {
      const say = chat(a, 'zhangsan');
      for (const t of ['提交记录', '院办', '好', '好']) await say(t);
      expect(await say('哦不对，是行政楼302')).toContain('参加人数');
      expect(await say('20人都到了')).toContain('缺席人员及原因？（应到20人，实到20人');
      expect(await say('进度')).toContain('4. 地点：行政楼302');
    } finally {
      await a.close();
    }
  });
});

describe('which group a record is for', () => {
  it('a secretary of one group is told which; one who names another group is told whose it is and whom to ask', async () => {
    const a = await formApp({ now: WED });
    try {
      expect(await chat(a, 'wangwu')('提交记录')).toContain('为会计专业学生学习组填写');
      const zhangsan = chat(a, 'zhangsan');
      await zhangsan('提交记录');
      const other = await zhangsan('会计专业学生学习组');
      expect(other).toContain('不是您负责的学习组');
      expect(other).toContain('王五');
      expect(other).toContain('联系管理员');
    } finally {
      await a.close();
    }
  });
});
