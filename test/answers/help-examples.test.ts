import { describe, expect, it } from 'vitest';
import { HELP_TEXT } from '../../handlers/help.ts';
import { questionSetChat } from './question-set-app.ts';
import { EIGHT, LAW, QUESTION_SET_NOW } from './question-set.ts';
import { shanghaiDate } from '../../src/content/dates.ts';
import { semesterContent } from '../helpers/content.ts';

const seed = await semesterContent();

/**
 * Every example the bot suggests, in 帮助 and in the reply to what it did not understand, is sent as a user would and
 * must get the answer it promises. The examples are read out of the replies themselves, so an example added to the
 * help text without an expectation here fails the test.
 */
const EXPECTED: Record<string, string[]> = {
  // The menu's examples come from the plan of the day (here the seed fixture plan): these are what it offers.
  第三十五条: [`${LAW}第三十五条`],
  高教法36条讲的啥: [`${LAW}第三十六条`],
  八项规定第三条: [`${EIGHT}第三条`],
  '第34-36条': [`${LAW}第三十四条`, `${LAW}第三十六条`],
  第三十五条第二款: [`${LAW}第三十五条第二款`],
  高等教育法一共多少条: [`${LAW}共六十九条`],
  高教法有几章: [`${LAW}共八章`],
  八项规定有哪些内容: [`${EIGHT}共七条：`, '七、严格执行婚丧喜庆事宜有关规定。'],
  学习资料: ['学习资料：', LAW],
  '9月6日学什么': ['9月6日（星期二，第1周） 业务学习活动'],
  本周安排: ['本周（第2周）'],
  '9月份有哪些活动': ['9月的学习活动'],
  升旗仪式是哪天: ['9月12日（星期一，第2周） 升旗仪式'],
  升旗仪式谁组织: ['升旗仪式的组织者：外语与旅游学院、党委宣传部'],
  学习安排: ['共 5 项'],
  学习主题: ['专题一'],
  教师讨论题: ['教师讨论题：'],
  学生讨论题: ['学生讨论题：'],
  学习要求: ['学习要求：'],
  招生计划有什么规定: [`${LAW}第三十二条`],
  公费旅游有什么规定: [`${EIGHT}第五条`],
  提交记录: ['学习组'],
  我的记录: ['记录'],
  修改记录: ['记录'],
  谁还没交: ['未提交'],
  '9月谁还没交': ['9月'],
  已提交: ['提交'],
  统计: ['提交统计'],
  提醒未提交: ['提醒'],
  // As a secretary (张三): the files of their own groups, sent as WeCom file messages.
  '导出记录本 9月': ['院办党支部学习组、教学系部学习组', '年9月的学习记录本（Word）'],
  '导出记录本 本学期': ['院办党支部学习组、教学系部学习组', '学期的学习记录本（Word）'],
  '导出记录表 9月': ['年9月的学习讨论记录明细表（Excel）'],
  // Tried as someone who is not an admin: refused politely.
  导入学习计划: ['导入学习计划仅限党委办公室的管理员使用'],
};
/** Examples that need what came before them: asked after the article named here. */
const FOLLOW_UPS: Record<string, [before: string, expected: string]> = {
  下一条: ['第三十五条', `${LAW}第三十六条`],
  那第一款呢: ['第三十五条', `${LAW}第三十五条第一款`],
};
/** Examples that stand for a pattern the user fills in rather than text to send as it is. */
const TEMPLATES = ['查看记录 组名 9月6日', '导出 本学期'];

function examplesIn(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^【[^】]+】(.*)$/.exec(line);
    if (!m) continue;
    for (const item of m[1]!.split(' · ')) {
      const quoted = [...item.matchAll(/“([^”]+)”/g)].map((q) => q[1]!);
      out.push(...(quoted.length ? quoted : [item.replace(/（[^）]*）/g, '').trim()]));
    }
  }
  return out;
}

describe('every example the bot suggests gives the answer it promises', () => {
  const chat = questionSetChat('help');
  let n = 0;
  const ask = (user: string, text: string) => chat.ask(text, user);

  const helpExamples = examplesIn(HELP_TEXT(seed, shanghaiDate(QUESTION_SET_NOW), 'admin'));
  it('finds the examples in the help text', () => expect(helpExamples.length).toBeGreaterThan(20));

  for (const example of helpExamples) {
    if (TEMPLATES.includes(example)) continue;
    it(`帮助: ${example}`, async () => {
      // The party office's examples are tried as an admin; the record form's as a secretary.
      const user = /交|提交|记录|统计|提醒/.test(example) ? (/谁还没交|已提交|统计|提醒/.test(example) ? 'dangban-wang' : 'zhangsan') : `help${++n}`;
      const follow = FOLLOW_UPS[example];
      if (follow) await ask(user, follow[0]);
      const answer = await ask(user, example);
      const expected = follow ? [follow[1]] : EXPECTED[example];
      expect(expected, `no expectation for the help example “${example}”`).toBeDefined();
      expect(answer).not.toContain('没有找到与');
      for (const s of expected!) expect(answer, answer).toContain(s);
      if (/提交记录|修改记录/.test(example)) await ask(user, '取消');
    });
  }

  it('each reader is offered the lines they can use: staff no record or office commands, a secretary no office commands', async () => {
    const staff = await ask('help-staff', '帮助');
    const secretary = await ask('zhangsan', '帮助');
    const admin = await ask('dangban-wang', '帮助');
    expect(staff).not.toContain('【交记录】');
    expect(staff).not.toContain('【党委办公室】');
    expect(secretary).toContain('【交记录】');
    expect(secretary).not.toContain('【党委办公室】');
    expect(admin).toContain('【交记录】');
    expect(admin).toContain('【党委办公室】');
    for (const menu of [staff, secretary, admin]) expect(menu).toContain('【查条文】');
  });

  it('the reply to what it did not understand suggests only examples that work', async () => {
    const miss = await ask('help-miss', '我想请假去旅游');
    const suggested = [...miss.matchAll(/如“([^”]+)”/g)].map((m) => m[1]!);
    expect(suggested.length).toBeGreaterThanOrEqual(3);
    for (const example of suggested) {
      const answer = await ask(`help-miss-${example}`, example);
      expect(EXPECTED[example], `no expectation for the fallback example “${example}”`).toBeDefined();
      for (const s of EXPECTED[example]!) expect(answer, answer).toContain(s);
    }
  });
});
