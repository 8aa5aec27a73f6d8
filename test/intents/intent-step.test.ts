import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { QUESTION_SET_NOW } from '../answers/question-set.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * The intent step (src/bot/intent.ts): every text callback's log line names what the message was, from the routing's
 * own recognisers: a question, a record command, an office command, small talk, a form's step, or off-topic.
 */
describe('the intent step, through the real encrypted callback', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    app = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent() });
  }, 60_000);
  afterAll(() => app?.close());

  /** The intent and handler of the callback line `text` caused. */
  async function intentOf(user: string, text: string): Promise<{ intent?: string; handler?: string }> {
    const from = app.logLines.length;
    await app.wecomSide.sendText(user, text);
    await app.bot.idle();
    const line = app.logLines
      .slice(from)
      .map((l) => JSON.parse(l) as { intent?: string; handler?: string; reply?: string })
      .find((l) => 'reply' in l);
    return { intent: line?.intent, handler: line?.handler };
  }

  it('names each kind of message, and a form step as such', async () => {
    expect(await intentOf('staff-member', '第四十七条是什么')).toEqual({ intent: 'question', handler: 'article' });
    expect(await intentOf('staff-member', '下礼拜有学习没')).toMatchObject({ intent: 'question' });
    expect(await intentOf('staff-member', '谢谢啦')).toMatchObject({ intent: 'small-talk' });
    expect(await intentOf('dangban-wang', '谁还没交')).toEqual({ intent: 'office-command', handler: 'office' });
    expect(await intentOf('dangban-wang', '状态页面链接发我')).toEqual({ intent: 'office-command', handler: 'status-page' });
    expect(await intentOf('wangwu', '我们组还有哪个月没交')).toMatchObject({ intent: 'record-command' });
    expect(await intentOf('wangwu', '提交记录')).toEqual({ intent: 'record-command', handler: 'minutes' });
    // The form's next message is one of its steps: no handler named, the step says so.
    expect(await intentOf('wangwu', '好')).toEqual({ intent: 'form-step' });
    expect(await intentOf('wangwu', '取消')).toEqual({ intent: 'form-step' });
    const offTopic = await intentOf('staff-member', '明天天气怎么样呀');
    expect(offTopic.intent, JSON.stringify(offTopic)).toBe('off-topic');
  });
});
