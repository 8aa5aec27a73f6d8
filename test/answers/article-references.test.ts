import { describe, expect, it } from 'vitest';
import { toChineseNumber } from '../../src/content/numerals.ts';
import { questionSetChat } from './question-set-app.ts';
import { EIGHT, LAW } from './question-set.ts';

/**
 * Article references (第…条/款/项) through the real encrypted callback: mixed numerals, 款 lists and 款 follow-ups,
 * and references that cannot be resolved, which must never be answered with another article from keyword search.
 */
describe('article references through the real callback', () => {
  const q = questionSetChat('ref');
  const ask = q.ask;
  const paragraphs = (number: number) => q.content.article('higher-education-law', number)!.paragraphs;
  /** What keyword search answers with: never right for an article reference. */
  const SEARCH_ANSWER = '最相关的内容';

  describe('mixed Arabic and Chinese numerals', () => {
    it.each(['第4十7条', '高教法第4十7条', '第四十7条是什么'])('%s is 第四十七条', async (question) => {
      const answer = await ask(question);
      expect(answer).toContain(`${LAW}第四十七条`);
      for (const p of paragraphs(47)) expect(answer).toContain(p);
      expect(answer).not.toContain(SEARCH_ANSWER);
      expect(answer).not.toContain('第二十八条');
    });

    it('第1百零2条 is looked up as 第一百零二条, which the law does not have', async () => {
      const answer = await ask('第1百零2条');
      expect(answer).toContain(`${LAW}共六十九条，没有第一百零二条。`);
      expect(answer).not.toContain(SEARCH_ANSWER);
      expect(answer).not.toContain('第六十九条　本法');
    });
  });

  describe('several 款 of one article', () => {
    const [ten1, ten2] = [() => paragraphs(10)[0]!, () => paragraphs(10)[1]!];

    it.each([
      '第十条第二款和第三款',
      '高等教育法第十条第二款和第三款',
      '第十条第二、三款',
      '高教法第10条第2-3款',
      '第十条第二款至第三款是什么',
      '第十条的第二款和第三款',
    ])('%s gives 第十条第二款 and says there is no 第三款', async (question) => {
      const answer = await ask(question);
      expect(answer).toContain(`${LAW}第十条第二款`);
      expect(answer).toContain(ten2());
      expect(answer).not.toContain(ten1());
      expect(answer).toContain('共两款，没有第三款。');
      expect(answer).not.toContain(SEARCH_ANSWER);
      expect(answer).not.toContain('第二十七条');
    });

    it('第四十七条第二、四款 gives both, in full, and nothing else of the article', async () => {
      const answer = await ask('第四十七条第二、四款');
      expect(answer).toContain(`${LAW}第四十七条第二款`);
      expect(answer).toContain(`${LAW}第四十七条第四款`);
      expect(answer).toContain('(四)承担相应职务的课程和规定课时的教学任务。');
      expect(answer).toContain('高等学校教师职务的具体任职条件由国务院规定。');
      expect(answer).not.toContain('教授、副教授除应当具备');
      expect(answer).not.toContain('高等学校实行教师职务制度');
    });

    it('第47条第1款 gives the first 款 only', async () => {
      const answer = await ask('第47条第1款');
      expect(answer).toContain(`${LAW}第四十七条第一款`);
      expect(answer).toContain('高等学校实行教师职务制度');
      expect(answer).not.toContain('前款规定');
    });
  });

  describe('下一款 and 上一款 after a 款', () => {
    it('steps through the 款 of the article, and says where they end', async () => {
      const user = 'clause-steps';
      await ask('第47条第1款', user);
      const second = await ask('下一款', user);
      expect(second).toContain(`${LAW}第四十七条第二款`);
      expect(second).toContain('高等学校的教师取得前款规定的职务应当具备下列基本条件');
      expect(second).not.toContain('没有找到');
      expect(await ask('下一款', user)).toContain(`${LAW}第四十七条第三款`);
      const fourth = await ask('接着看下一款', user);
      expect(fourth).toContain(`${LAW}第四十七条第四款`);
      expect(fourth).toContain('高等学校教师职务的具体任职条件由国务院规定。');
      expect(await ask('下一款', user)).toContain('共四款，没有第五款。');
      // Past the end the conversation stays on the last 款.
      expect(await ask('上一款', user)).toContain(`${LAW}第四十七条第三款`);
      expect(await ask('上一款', user)).toContain(`${LAW}第四十七条第二款`);
      expect(await ask('上一款', user)).toContain(`${LAW}第四十七条第一款`);
      expect(await ask('上一款', user)).toContain(`已经是${LAW}第四十七条的第一款，前面没有了。`);
      // 下一条 still goes by article, and the whole article is shown.
      const next = await ask('下一条', user);
      expect(next).toContain(`${LAW}第四十八条`);
      expect(next).toContain(paragraphs(48).at(-1)!);
    });

    it('after 第十条第二款和第三款, 上一款 is the first 款', async () => {
      const user = 'clause-list-step';
      await ask('第十条第二款和第三款', user);
      const answer = await ask('上一款', user);
      expect(answer).toContain(`${LAW}第十条第一款`);
      expect(answer).toContain(paragraphs(10)[0]!);
    });

    it('after a whole article, asks which 款 rather than guess', async () => {
      const user = 'clause-after-whole';
      await ask('第四十八条', user);
      const answer = await ask('下一款', user);
      expect(answer).toContain(`上面是${LAW}第四十八条的全文，共两款。请告诉我要看第几款`);
      expect(answer).not.toContain(SEARCH_ANSWER);
    });

    it('with nothing before it, says how to start', async () => {
      expect(await ask('下一款')).toContain('请先告诉我从哪一款开始');
      expect(await ask('上一款')).toContain('请先告诉我从哪一款开始');
    });

    it('下一项 and 上一项 step through the points of the eight-point regulation', async () => {
      const user = 'points-steps';
      await ask('八项规定第三项', user);
      const fourth = await ask('下一项', user);
      expect(fourth).toContain(`${EIGHT}第四条`);
      expect(fourth).toContain('四、严格执行津贴补贴和奖金发放有关规定。');
      expect(await ask('上一项', user)).toContain(`${EIGHT}第三条`);
      expect(await ask('下一款', user)).toContain(`${EIGHT}第三条只有一款，上面已是全文。`);
    });
  });

  describe('a reference that cannot be resolved is never answered with another article', () => {
    it.each([
      ['第4x条', '没有看懂“第4x条”'],
      ['第12十条', '没有看懂“第12十条”'],
      ['高教法第十条第x款', '没有看懂“第十条第x款”'],
      ['第几条', '没有看懂“第几条”'],
      ['第十条的第x款', '没有看懂“第十条的第x款”'],
      ['第一千零一十十条是什么', '没有看懂“第一千零一十十条”'],
    ])('%s', async (question, said) => {
      const answer = await ask(question);
      expect(answer).toContain(`抱歉，${said}是哪一条（款）。请写明条号，例如“第三条”`);
      expect(answer).toContain(`${LAW}共六十九条（第一条至第六十九条）。`);
      expect(answer).not.toContain(SEARCH_ANSWER);
      expect(answer).not.toMatch(/第[一二三四五六七八九十]+条[　 ]/);
    });

    it('an article that does not exist says how many there are, as 第九百条 does', async () => {
      for (const question of ['第九百条', '第900条', '第9百条', '第七十条第二款']) {
        const answer = await ask(question);
        expect(answer, question).toMatch(/《中华人民共和国高等教育法》共六十九条，没有第(九百|七十)条。/);
        expect(answer, question).not.toContain(SEARCH_ANSWER);
      }
    });

    it('an item (项) of an article points to the article', async () => {
      const answer = await ask('第二十八条第三项');
      expect(answer).toContain(`抱歉，暂时不能单独查某一项。${LAW}第二十八条的各项都在条文中，请发送“高等教育法第二十八条”查看全文`);
      expect(answer).not.toContain(SEARCH_ANSWER);
      expect(answer).not.toContain('第三十八条');
    });

    it('a 第…项 in the law with no article says what was not understood', async () => {
      const answer = await ask('高教法第三项');
      expect(answer).toContain('没有看懂“第三项”');
      expect(answer).not.toContain(SEARCH_ANSWER);
    });
  });

  describe('an article named with more than asking words around it is that article', () => {
    it.each([
      ['第四十七条是关于什么的', 47],
      ['第三条怎么理解', 3],
      ['第四十七条有几款', 47],
      ['47条说了啥来着', 47],
      ['高教法第二十九条讲了哪些内容', 29],
    ])('%s', async (question, number) => {
      const answer = await ask(question);
      for (const p of paragraphs(number)) expect(answer).toContain(p);
      expect(answer).not.toContain(SEARCH_ANSWER);
    });

    it('a named document keeps its own article: 八项规定第六条是关于什么的', async () => {
      const answer = await ask('八项规定第六条是关于什么的');
      expect(answer).toContain(`${EIGHT}第六条`);
      expect(answer).not.toContain(LAW);
    });

    it('two articles and a question about them shows both', async () => {
      const answer = await ask('第四十七条和第四十八条有什么区别');
      for (const p of [...paragraphs(47), ...paragraphs(48)]) expect(answer).toContain(p);
    });

    it.each([
      ['第四十七条二款', 47, 2],
      ['47条2款', 47, 2],
      ['十条二款', 10, 2],
      ['47条第一段', 47, 1],
    ])('%s: a 款 written without 第, or as 段', async (question, number, clause) => {
      const answer = await ask(question);
      expect(answer).toContain(`${LAW}第${toChineseNumber(number)}条第${toChineseNumber(clause)}款`);
      expect(answer).not.toContain(SEARCH_ANSWER);
    });

    it('follow-ups: 那48呢, 后面一条, 前面一条', async () => {
      const user = 'followups-more';
      await ask('第四十七条', user);
      const other = await ask('那48呢', user);
      for (const p of paragraphs(48)) expect(other).toContain(p);
      const next = await ask('后面一条', user);
      for (const p of paragraphs(49)) expect(next).toContain(p);
      const back = await ask('前面一条', user);
      for (const p of paragraphs(48)) expect(back).toContain(p);
    });

    it('a sentence after it is another question, not words about it', async () => {
      const answer = await ask('第十条是什么？明天会下雨吗');
      expect(answer).toContain('明天会下雨吗');
    });
  });

  describe('a document the readings do not include, or a name that fits several', () => {
    it.each(['七项规定是什么', '教育部七项规定第一条', '七项规定有哪些'])('%s: not among the readings, where the plan mentions it', async (question) => {
      const answer = await ask(question);
      expect(answer).toContain('学习资料中没有收录');
      expect(answer).toContain(q.content.plan.themes.find((th) => th.includes('七项规定'))!);
      expect(answer).not.toContain(SEARCH_ANSWER);
      expect(answer).not.toContain(`${EIGHT}第`);
      expect(answer).not.toContain(`${LAW}第一条`);
    });

    it.each([
      ['八想规定第一条', `${EIGHT}第一条`],
      ['八向规定第三条', `${EIGHT}第三条`],
      ['高等叫育法第五条', `${LAW}第五条`],
    ])('%s: a name with one character mistyped is that document', async (question, source) => {
      expect(await ask(question)).toContain(source);
    });

    it("教师法第三条: not the 高等教育法's 第三条", async () => {
      const answer = await ask('教师法第三条');
      expect(answer).toContain('学习资料中没有收录“教师法”');
      expect(answer).not.toContain(paragraphs(3)[0]!);
    });

    it('信用规划第三条: asks which of the two credit plans', async () => {
      const answer = await ask('信用规划第三条');
      expect(answer).toContain('“信用规划”可能是指以下资料中的一份');
      for (const d of q.content.documents.filter((doc) => doc.title.includes('信用'))) expect(answer).toContain(`《${d.title}》`);
      expect(answer).not.toContain(LAW);
    });

    it('a question about a subject is not a document: 教师资格有什么规定 still finds the law', async () => {
      const answer = await ask('教师资格有什么规定');
      expect(answer).not.toContain('没有收录');
      expect(answer).toContain('第四十六条');
    });
  });

  describe('the ends of a document', () => {
    it('上一条 at the first article says there is none before it', async () => {
      const user = 'first-back';
      await ask('第一条', user);
      const answer = await ask('上一条', user);
      expect(answer).toContain(`已经是${LAW}的第一条，前面没有了`);
      expect(answer).not.toContain('第零条');
    });

    it('an article neither the document just read nor the law has: both are named', async () => {
      const user = 'beyond-both';
      await ask('八项规定第三条', user);
      const answer = await ask('第七十条', user);
      expect(answer).toContain(`${EIGHT}共七条，没有第七十条，${LAW}共六十九条，也没有。`);
    });

    it("最后一条 of a named document is its last article, not the schedule's 最后一次", async () => {
      const law = await ask('高教法最后一条是啥');
      expect(law).toContain(`${LAW}第六十九条`);
      expect(law).toContain(paragraphs(69)[0]!.replace(/^第六十九条[\s　]*/, ''));
      const eight = await ask('八项规定最后一条');
      expect(eight).toContain(`${EIGHT}第七条`);
      expect(eight).toContain('婚丧喜庆');
      for (const a of [law, eight]) expect(a).not.toContain('最后一次');
    });

    it('第一条 of a named document is its first article', async () => {
      const answer = await ask('八项规定第一条是什么');
      expect(answer).toContain(`${EIGHT}第一条`);
      expect(answer).toContain('出国');
    });
  });
});
