import { describe, expect, it } from 'vitest';
import { questionSetChat } from './question-set-app.ts';
import { LAW } from './question-set.ts';

/**
 * "X和Y" asking for two kinds of plan facts (学习主题和讨论题, 学习安排和讨论题, 主题和阅读材料), through the real encrypted
 * callback: both are answered, in the order asked, and neither is left out.
 */
describe('two plan facts joined by 和 through the real callback', () => {
  const q = questionSetChat('joined');
  const ask = q.ask;
  const themes = () => q.content.plan.themes;
  const staffQuestions = () => q.content.plan.questions.staff;
  const studentQuestions = () => q.content.plan.questions.students;
  /** What keyword search answers with: never right for these. */
  const SEARCH_ANSWER = '最相关的内容';

  /** Each text in `first` appears, and all of them before any text of `second`. */
  function expectInOrder(answer: string, first: readonly string[], second: readonly string[]) {
    for (const s of [...first, ...second]) expect(answer, answer).toContain(s);
    const lastOfFirst = Math.max(...first.map((s) => answer.indexOf(s)));
    const firstOfSecond = Math.min(...second.map((s) => answer.indexOf(s)));
    expect(lastOfFirst, answer).toBeLessThan(firstOfSecond);
  }

  it.each(['学习主题和讨论题', '学习主题和讨论题是什么', '本学期的学习主题与讨论题', '主题和讨论题分别是什么'])(
    '%s: the themes, then both sets of discussion questions',
    async (question) => {
      const answer = await ask(question);
      expectInOrder(answer, themes(), [...staffQuestions(), ...studentQuestions()]);
      expect(answer).toContain('教师讨论题：');
      expect(answer).toContain('学生讨论题：');
      expect(answer).not.toContain(SEARCH_ANSWER);
      expect(answer).not.toContain('没有找到');
    },
  );

  it('学习安排和讨论题: the whole schedule, then the discussion questions', async () => {
    const answer = await ask('学习安排和讨论题');
    expectInOrder(answer, ['9月6日（星期二，第1周） 业务学习活动', '9月27日（星期二，第4周） 业务学习活动'], [...staffQuestions(), ...studentQuestions()]);
    expect(answer).not.toContain(SEARCH_ANSWER);
  });

  it.each(['主题和阅读材料', '学习主题和学习资料有哪些'])('%s: the themes, then the readings', async (question) => {
    const answer = await ask(question);
    expectInOrder(answer, themes(), ['学习资料：', LAW]);
    expect(answer).not.toContain(SEARCH_ANSWER);
    expect(answer).not.toContain('第二十七条');
  });

  it('讨论题和学习要求: the discussion questions, then the requirements', async () => {
    const answer = await ask('讨论题和学习要求');
    expectInOrder(answer, [...staffQuestions(), ...studentQuestions()], q.content.plan.requirements);
  });

  it('教师和学生讨论题 is one question about both sets', async () => {
    const answer = await ask('教师和学生的讨论题');
    expectInOrder(answer, staffQuestions(), studentQuestions());
    expect(answer).not.toContain('【1】');
  });

  it('阅读材料 alone is the readings', async () => {
    const answer = await ask('阅读材料');
    expect(answer).toContain('学习资料：');
    expect(answer).not.toContain(SEARCH_ANSWER);
  });

  it('still one answer for a list of articles, and for one fact', async () => {
    const articles = await ask('第四十一条和第四十三条');
    expect(articles).not.toContain('【1】');
    expect(articles).toContain(`${LAW}第四十一条`);
    expect(articles).toContain(`${LAW}第四十三条`);
    const one = await ask('学习主题');
    expect(one).not.toContain('【1】');
    expect(one).not.toContain('讨论题');
  });
});

/** Several dates in one schedule question, through the real callback: each date's activities, or a span's. */
describe('several dates in one schedule question through the real callback', () => {
  const q = questionSetChat('dates');
  const ask = q.ask;
  const activityOn = (date: string) => q.content.schedule.find((e) => e.date === date)!.activity;

  it.each(['9月20日和9月27日学什么', '9月20号、27号要干嘛', '九月二十日与九月二十七日有什么安排'])('%s: both dates, in the order asked', async (question) => {
    const answer = await ask(question);
    const first = answer.indexOf(`9月20日（星期二，第3周） ${activityOn('2016-09-20')}`);
    const second = answer.indexOf(`9月27日（星期二，第4周） ${activityOn('2016-09-27')}`);
    expect(first, answer).toBeGreaterThanOrEqual(0);
    expect(second, answer).toBeGreaterThan(first);
    expect(answer).not.toContain('9月13日');
  });

  it('a span lists every activity inside it and none outside', async () => {
    const answer = await ask('9月13日到9月20日有什么活动');
    const inside = q.content.schedule.filter((e) => e.date >= '2016-09-13' && e.date <= '2016-09-20');
    expect(answer).toContain(`9月13日至9月20日的学习活动（共 ${inside.length} 项）`);
    for (const e of inside) expect(answer).toContain(e.activity);
    expect(answer).not.toContain('9月27日');
    expect(answer).not.toContain('9月12日');
  });

  it('a span with nothing in it says so and names the next activity', async () => {
    const answer = await ask('9月21日至9月25日有活动吗');
    expect(answer).toContain('9月21日至9月25日没有安排学习活动。之后最近的安排：\n9月27日');
  });
});
