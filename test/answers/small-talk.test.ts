import { describe, expect, it } from 'vitest';
import { smallTalk } from '../../handlers/small-talk.ts';
import { questionSetChat } from './question-set-app.ts';

/** Small talk through the real callback: a short friendly answer, never "没有找到" and never a quoted article. */
describe('small talk, thanks and "who are you"', () => {
  const chat = questionSetChat('smalltalk');
  // Written before the classifier; the second half was never run while writing it (held out).
  const TUNE = ['谢谢啦', '辛苦了', '好的收到', '你是谁，能干嘛', '好的，谢谢', '收到谢谢', '再见', '哈哈哈', '你真棒', '谢谢老师！'];
  const HELD_OUT = ['多谢多谢', '辛苦啦~', '好嘞，收到', '明白了，谢谢', '你会干啥', '你叫什么名字呀', '太感谢了', '拜拜', '知道啦', '你好厉害'];
  for (const text of [...TUNE, ...HELD_OUT]) {
    it(`${text}: a short friendly answer`, async () => {
      const answer = await chat.ask(text);
      expect(answer).not.toContain('没有找到');
      expect(answer).not.toContain('《');
      expect([...answer].length, answer).toBeLessThan(120);
    });
  }
  it('who are you says what the bot is', async () => {
    expect(await chat.ask('你是谁，能干嘛')).toContain('学习助手');
  });
  it.each(['谢谢，第四十七条是什么', '好的学习', '明天会下雨吗', '可以吗', '学习安排', '行不行'])('%s is not small talk', (text) => {
    expect(smallTalk(text)).toBeUndefined();
  });
});
