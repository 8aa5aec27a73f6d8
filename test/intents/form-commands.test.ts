import { describe, expect, it } from 'vitest';
import { at, chat, formApp } from '../forms/form-chat.ts';

/**
 * The record form and the handlers read the form's command words from one definition (handlers/record-commands.ts):
 * a command said in its everyday words in the middle of the form is answered by its handler, never saved as the
 * step's value, and the form goes on where it was.
 */
describe('record commands in everyday words, sent in the middle of the form', () => {
  it('我交过的记录, 记录写错了要改, 看记录1 at the place step: answered, not taken as the place', async () => {
    const a = await formApp({ now: at('2016-09-21 10:00') });
    const say = chat(a, 'wangwu');
    await say('我要交这次学习的记录');
    await say('好');
    expect(await say('9.20')).toContain('（3/9）在哪里学习？');
    for (const command of ['我交过的记录', '记录写错了要改一下', '看记录1']) {
      const reply = await say(command);
      expect(reply, command).toContain('还没有');
      expect(reply, command).not.toContain('（4/9）');
    }
    expect(await say('行政楼 302 会议室')).toContain('（4/9）参加人数和/或名单？');
    // The same words with no form open start nothing: 不写了 is the form's own word, told there is no form.
    await say('不写了');
    expect(await say('不写了')).toContain('您现在没有正在填写的记录');
  });
});
