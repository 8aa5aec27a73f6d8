import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../src/content/content.ts';
import { semesterContent } from '../helpers/content.ts';
import { askApp, type startTestApp } from '../helpers/test-app.ts';
import { questionSetApp } from './question-set-app.ts';
import { LAW } from './question-set.ts';

/**
 * Article references (第…条/款/项) through the real encrypted callback: mixed numerals, 款 lists and 款 follow-ups,
 * and references that cannot be resolved, which must never be answered with another article from keyword search.
 */
describe('article references through the real callback', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let content: Content;
  let n = 0;
  beforeAll(async () => {
    t = await questionSetApp();
    content = await semesterContent();
  });
  afterAll(() => t.close());

  const ask = (text: string, user = `ref${++n}`) => askApp(t, user, text);
  const paragraphs = (number: number) => content.article('higher-education-law', number)!.paragraphs;
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
});
