import { describe, expect, it } from 'vitest';
import { questionSetChat } from './question-set-app.ts';

/**
 * Questions about the study notice itself, in spoken words no pattern lists, through the real encrypted callback:
 * answered with the notice's own passage (quoted, under its section, with a note that it is quoted), while a
 * question about a reading stays with the reading and small talk or off-topic text gets no passage.
 */
describe('the notice answers questions about itself', () => {
  const q = questionSetChat('passages');
  const QUOTED = '以上为学习计划原文';
  const plan = () => q.content.plan;
  const requirement = (word: string) => {
    const sentence = plan()
      .requirements.flatMap((r) => r.split(/(?<=。)/))
      .find((s) => s.includes(word));
    if (!sentence) throw new Error(`no requirement sentence holds ${word}`);
    return sentence.trim();
  };

  it.each([
    ['每月是谁来检查记录本', () => requirement('记录本')],
    ['机关党工委在这个计划里负责什么', () => requirement('机关党工委')],
    ['讨论要联系实际吗', () => requirement('联系实际')],
    ['讨论题里说的“三个职院”是哪三个', () => plan().questions.staff.find((s) => s.includes('职院'))!],
    ['学生讨论的第一题是啥', () => plan().questions.students[0]!],
    ['专题一是什么来着', () => plan().themes[0]!],
  ])('%s → the passage that says it', async (question, passage) => {
    const answer = await q.ask(question);
    expect(answer, answer).toContain(passage());
    expect(answer).toContain(QUOTED);
    expect(answer).toContain(plan().title);
  });

  it('升旗仪式是管理学院组织吗 → the schedule row with the organisers the notice names', async () => {
    const row = q.content.schedule.find((e) => e.activity.includes('升旗'))!;
    const answer = await q.ask('升旗仪式是管理学院组织吗');
    for (const organiser of row.organisers) expect(answer, answer).toContain(organiser);
  });

  it.each(['教师资格有什么规定', '大学招生计划谁来定', '高校学生可以组织社团吗'])('%s stays with the readings', async (question) => {
    const answer = await q.ask(question);
    expect(answer, answer).not.toContain(QUOTED);
  });

  it.each(['今天天气怎么样', '考试成绩出了吗', '谢谢啦', '帮我写个总结'])('%s gets no passage of the notice', async (text) => {
    const answer = await q.ask(text);
    expect(answer, answer).not.toContain(QUOTED);
  });
});
