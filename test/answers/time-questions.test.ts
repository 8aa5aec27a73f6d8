import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';

/**
 * Schedule questions in spoken time words, through the real callback on Wednesday 2016-09-21 (week 3): the time
 * grammar (src/content/time/grammar.ts) reads them once; the schedule answers what they choose.
 */
describe('time words in schedule questions', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let n = 0;
  beforeAll(async () => {
    app = await startTestApp({ clock: new ManualClock(Date.parse('2016-09-21T02:00:00Z')), content: await semesterContent() });
  });
  afterAll(() => app?.close());
  const chat = { ask: (text: string) => askApp(app, `time${++n}`, text) };
  const cases: Array<[string, string[], string[]]> = [
    ['下礼拜有学习没', ['下周（第4周）', '9月27日'], ['9月20日']],
    ['下个礼拜学什么', ['下周（第4周）', '业务学习活动'], []],
    ['上礼拜学的什么', ['上周（第2周）', '9月12日'], ['9月27日']],
    ['昨天学的啥', ['9月20日（星期二，第3周） 政治理论学习'], []],
    ['还有几次学习', ['还有 1 次', '9月27日'], ['9月20日', '9月6日']],
    ['9月最后一次学习是哪天', ['最后一次', '9月27日'], ['9月6日', '9月20日']],
    ['这学期一共几次学习', ['共有 5 次', '9月6日', '9月27日'], []],
    ['上次学的什么', ['上一次', '9月20日'], ['9月27日']],
    ['之前学过哪些', ['已经进行了 4 次', '9月20日'], ['9月27日']],
    ['国庆后有什么活动', ['没有安排学习活动'], ['至9月27日']],
    ['这个星期三有什么安排', ['9月21日'], []],
  ];
  for (const [question, includes, excludes] of cases) {
    it(question, async () => {
      const answer = await chat.ask(question);
      for (const s of includes) expect(answer, answer).toContain(s);
      for (const s of excludes) expect(answer, answer).not.toContain(s);
    });
  }
});
