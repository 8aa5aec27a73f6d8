import { describe, expect, it } from 'vitest';
import { semesterContent } from '../helpers/content.ts';
import { questionSetChat } from './question-set-app.ts';
import { EIGHT, LAW, QUESTIONS } from './question-set.ts';

/** Every question of the set through the real encrypted callback; the answer (passive reply and API messages) must
 * contain the expected text, with its source, and must not contain what would be wrong. */
const cases = QUESTIONS;

describe(`question set (${cases.length} questions) through the real callback`, () => {
  const chat = questionSetChat('user');
  let n = 0;
  const ask = (user: string, text: string) => chat.ask(text, user);

  it('has at least 80 questions', () => expect(cases.length).toBeGreaterThanOrEqual(80));

  for (const [question, includes, excludes = []] of cases) {
    it(question, async () => {
      const answer = await ask(`user${++n}`, question);
      for (const s of includes) expect(answer, answer).toContain(s);
      for (const s of excludes) expect(answer, answer).not.toContain(s);
    });
  }

  it('answers a bare number from the document the user was just asking about, and says which', async () => {
    expect(await ask('ctx1', '八项规定第二条')).toContain(`${EIGHT}第二条`);
    expect(await ask('ctx1', '第五条')).toContain(`${EIGHT}第五条`);
    expect(await ask('ctx1', '高教法第五条')).toContain(`${LAW}第五条`);
    expect(await ask('ctx1', '第六条')).toContain(`${LAW}第六条`);
    // Without context, the law.
    expect(await ask('ctx2', '第五条')).toContain(`${LAW}第五条`);
  });

  it('follows the conversation: a bare number stays in the document only where it has the article, and says when it leaves it', async () => {
    await ask('ctx3', '八项规定第四条');
    const twelve = await ask('ctx3', '第十二条');
    expect(twelve).toContain('八项规定共七条，没有第十二条；以下是高等教育法的第十二条：');
    expect(twelve).toContain(`${LAW}第十二条`);
    // Having moved to the law, the conversation is about the law.
    expect(await ask('ctx3', '第三条')).toContain(`${LAW}第三条`);
    await ask('ctx4', '八项规定第一条');
    const range = await ask('ctx4', '第50-51条');
    expect(range).toContain(`${LAW}第五十条`);
    expect(range).toContain(`${LAW}第五十一条`);
    expect(range).toContain('八项规定共七条，没有第五十条至第五十一条；以下是高等教育法的第五十条至第五十一条：');
  });

  it('understands 那第二款呢, 下一条 and 上一条 after an article', async () => {
    await ask('ctx5', '高教法第二十九条');
    const clause = await ask('ctx5', '那第二款呢？');
    expect(clause).toContain(`${LAW}第二十九条第二款`);
    expect(clause).toContain('审批设立高等学校，应当委托由专家组成的评议机构评议。');
    expect(clause).not.toContain('由国务院教育行政部门审批');
    expect(await ask('ctx5', '下一条')).toContain(`${LAW}第三十条`);
    expect(await ask('ctx5', '再下一条')).toContain(`${LAW}第三十一条`);
    expect(await ask('ctx5', '上一条呢')).toContain(`${LAW}第三十条`);
    await ask('ctx8', '八项规定第二点');
    expect(await ask('ctx8', '那第五点呢')).toContain(`${EIGHT}第五条`);
    expect(await ask('ctx8', '下一项')).toContain(`${EIGHT}第六条`);
    await ask('ctx6', '八项规定第七条');
    expect(await ask('ctx6', '下一条')).toContain(`${EIGHT}共七条，没有第八条。`);
    expect(await ask('ctx6', '上一条')).toContain(`${EIGHT}第六条`);
  });

  it('forgets the document after 30 minutes', async () => {
    await ask('ctx7', '八项规定第二条');
    chat.app.clock.advance(31 * 60_000);
    expect(await ask('ctx7', '第五条')).toContain(`${LAW}第五条`);
  });

  it("a form's own words with no form open say so, instead of searching the readings for them", async () => {
    for (const word of ['取消', '继续', '确认']) expect(await ask('noform', word)).toContain('您现在没有正在填写的记录');
  });

  it('forgets the document across a form', async () => {
    await ask('lisi', '八项规定第二条');
    await ask('lisi', '提交记录');
    await ask('lisi', '取消');
    expect(await ask('lisi', '第五条')).toContain(`${LAW}第五条`);
  });

  it('quotes long articles whole, split only between sentences', async () => {
    const answer = await ask('long1', '第46-48条');
    const a = (await semesterContent()).article('higher-education-law', 47)!;
    for (const p of a.paragraphs) expect(answer).toContain(p);
  });
});
