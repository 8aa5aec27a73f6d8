import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';

/**
 * Issue 23: a draft paused seconds ago by a new 提交记录 was said to have been idle for "超过 30 分钟". The pause
 * note now gives the real reason, through the real callback: the user started again, or the real idle time.
 */
const WED = Date.parse('2016-09-21T02:00:00Z');
let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start() {
  app = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent() });
  const a = app;
  return (text: string) => askApp(a, 'wangwu', text);
}

describe('the pause note says why the draft was paused', () => {
  // Starting another form (an amendment) while one is open pauses it; several wordings.
  for (const again of ['修改记录 1', '改记录 2', '修改记录3']) {
    it(`paused seconds ago by “${again}”: says so, not a made-up idle time`, async () => {
      const say = await start();
      await say('提交记录');
      await say('好');
      app!.clock.advance(5_000);
      expect(await say(again)).toContain('您还有一份未完成的《学习讨论记录》');
      app!.clock.advance(5_000);
      const note = await say('进度');
      expect(note).toContain(`草稿已暂停（您在填写中发送了“${again}”，要开始另一份填写）`);
      expect(note).not.toMatch(/分钟未回复/);
      expect(await say('继续')).toContain('好的，接着填写。');
    });
  }

  for (const minutes of [31, 95, 300]) {
    it(`idle for ${minutes} minutes: the note gives that time`, async () => {
      const say = await start();
      await say('提交记录');
      await say('好');
      app!.clock.advance(minutes * 60_000);
      const said = minutes >= 120 ? `已有 ${Math.floor(minutes / 60)} 小时未回复` : `已有 ${minutes} 分钟未回复`;
      expect(await say('第47条')).toContain(`草稿已暂停（${said}）`);
      expect(await say('进度')).toContain(`草稿已暂停（${said}）`);
    });
  }
});
