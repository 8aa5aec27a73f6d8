import { afterEach, describe, expect, it } from 'vitest';
import { Composer } from '../../src/bot/composer.ts';
import { ManualClock } from '../../src/clock.ts';
import { CUT_NOTE, MESSAGE_LIMITS } from '../../src/bot/limits.ts';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';
import { utf8Length } from '../../src/utf8-text.ts';
import { QUESTION_SET_NOW } from '../answers/question-set.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * Issue 23, finding 1: one message fanned out without limit ("第1-10条，" × 300 made 600 message/send calls; 15.6 KB
 * made 4,000). Now every message is held to src/bot/limits.ts through the real callback of both channels: the sends
 * (counted by the simulated WeCom), the bytes, the questions answered, and a closing note that says what was left.
 */
const AIBOT_ENV = { WECOM_AIBOT_TOKEN: 'AibotToken42', WECOM_AIBOT_ENCODING_AES_KEY: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' };
const { maxReplyParts, maxReplyBytes, maxQuestions, maxTextChars } = MESSAGE_LIMITS;

let t: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start() {
  t = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent(), env: AIBOT_ENV });
  return t;
}

/** Repeats distinct pieces (i = 0, 1, …) until `bytes` of UTF-8, never cutting a piece. */
function fill(bytes: number, piece: (i: number) => string): string {
  let text = '';
  for (let i = 0; ; i++) {
    const next = piece(i);
    if (utf8Length(text + next) > bytes) return text;
    text += next;
  }
}

/**
 * Messages of many questions, each built differently: the review's own (one range written again and again), ranges
 * that differ, articles by several wordings, schedule and plan questions, and a mix. The last two are held out: the
 * limits were set before they were written.
 */
const FLOODS: Record<string, (bytes: number) => string> = {
  'the review: 第1-10条， repeated': (b) => fill(b, () => '第1-10条，'),
  'distinct ranges': (b) => fill(b, (i) => `第${(i % 59) + 1}-${(i % 59) + 10}条，`),
  'articles, one per sentence': (b) => fill(b, (i) => `第${(i % 69) + 1}条是什么？`),
  'held out: schedule and plan questions': (b) =>
    fill(b, (i) => ['9月20日学什么？', '学习主题是什么？', `第${(i % 18) + 1}周有什么安排？`, '教师讨论题有哪些？'][i % 4]!),
  'held out: articles of two documents and ranges, by clause': (b) =>
    fill(b, (i) => (i % 2 ? `八项规定第${(i % 8) + 1}条；` : `高教法第${(i % 60) + 1}至${(i % 60) + 9}条；`)),
};

describe('bounded work per message (issue 23)', () => {
  for (const [name, make] of Object.entries(FLOODS)) {
    it(`app callback, ${name}: 3.9 KB, 16 KB and the most that is handled each cause at most ${maxReplyParts} sends and ${maxReplyBytes} bytes`, async () => {
      const app = await start();
      // Longer than the text limit is declined whole (see below); the last is the flood cut to what is handled.
      const most = [...make(16_000)]
        .slice(0, maxTextChars)
        .join('')
        .replace(/[^，；？]*$/, '');
      for (const text of [make(3_900), make(16_000), most]) {
        const before = app.sim.deliveries.length;
        const r = await app.wecomSide.sendText('zhaoliu', text);
        await app.bot.idle();
        const sent = app.sim.deliveries.slice(before);
        const texts = [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...sent.map((d) => d.text ?? '')];
        expect(sent.length).toBeLessThanOrEqual(maxReplyParts);
        expect(texts.length).toBeGreaterThan(0);
        expect(texts.reduce((s, x) => s + utf8Length(x), 0)).toBeLessThanOrEqual(maxReplyBytes);
        // Never more than maxQuestions answers, numbered; and whatever was left is said last.
        const headings = texts.join('\n').match(/【\d+】/g) ?? [];
        expect(new Set(headings).size).toBeLessThanOrEqual(maxQuestions);
        const last = texts.at(-1)!;
        if (/问题较多/.test(texts.join('\n'))) expect(last).toMatch(/为免刷屏，我回答了前 \d 个。其余 \d+ 处（从“.+”起）请分几次发送/);
        else if (texts.join('\n').includes(CUT_NOTE)) expect(last).toContain(CUT_NOTE);
      }
    });
  }

  it('no handler can go past the limits: 100 replies, or one of 100 KB, are cut by the core and the cut is said last', async () => {
    const line = (i: number) => `第${i}行：高等学校实行教师职务制度。`;
    const handlers = new Composer()
      .hears('many', '多', async (ctx) => {
        for (let i = 0; i < 100; i++) await ctx.reply(line(i));
      })
      .hears('long', '长', (ctx) => ctx.reply(Array.from({ length: 3000 }, (_, i) => line(i)).join('\n')))
      .hears('long-md', '长md', (ctx) => ctx.reply({ markdown: Array.from({ length: 3000 }, (_, i) => line(i)).join('\n') }))
      .middleware();
    t = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), handlers });
    for (const text of ['多', '长', '长md']) {
      const before = t.sim.deliveries.length;
      await t.wecomSide.sendText('zhaoliu', text);
      await t.bot.idle();
      const sent = t.sim.deliveries.slice(before).map((d) => d.text ?? '');
      expect(sent.length, text).toBeLessThanOrEqual(maxReplyParts);
      expect(sent.length, text).toBeGreaterThan(maxReplyParts / 2); // the budget is used, not thrown away
      expect(
        sent.reduce((n, x) => n + utf8Length(x), 0),
        text,
      ).toBeLessThanOrEqual(maxReplyBytes);
      expect(sent.at(-1), text).toBe(CUT_NOTE);
      // What was sent is the answer's beginning, in order, with nothing skipped.
      expect(
        sent
          .slice(0, -1)
          .join('\n')
          .startsWith(`${line(0)}\n${line(1)}`) || sent[0] === line(0),
        text,
      ).toBe(true);
    }
    expect(t.log()).toContain('reply limit reached: the rest of the answer was cut');
  });

  it('a message of many distinct questions says how many were answered and where the rest begins', async () => {
    const app = await start();
    const r = await app.wecomSide.sendText('zhaoliu', '第一条是什么？第二条是什么？第三条是什么？第四条是什么？第五条是什么？第六条是什么？第七条是什么？');
    await app.bot.idle();
    const texts = [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...app.sim.deliveries.map((d) => d.text ?? '')].join('\n');
    for (const n of ['一', '二', '三', '四', '五']) expect(texts).toContain(`第${n}条（`);
    expect(texts).not.toContain('第六条（');
    expect(texts).toContain(`我回答了前 ${maxQuestions} 个。其余 2 处（从“第六条是什么”起）请分几次发送，每条消息最多问 ${maxQuestions} 个问题`);
  });

  it('the same question written many times is answered once', async () => {
    const app = await start();
    const r = await app.wecomSide.sendText('zhaoliu', '第四十七条是什么？'.repeat(200));
    await app.bot.idle();
    const texts = [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...app.sim.deliveries.map((d) => d.text ?? '')].join('\n');
    expect(texts.match(/第四十七条（/g)).toHaveLength(1);
    expect(texts).not.toContain('为免刷屏');
  });

  it(`a text over ${maxTextChars} characters is declined politely, and the next message is answered as usual`, async () => {
    const app = await start();
    const long = await app.wecomSide.sendText('zhaoliu', '学'.repeat(maxTextChars + 1));
    await app.bot.idle();
    expect(long.passiveReply).toBe(
      `抱歉，这条消息有 ${maxTextChars + 1} 个字，超过了单条 ${maxTextChars} 字的上限，我没有处理。请分成几条发送（填写记录时，小结可以分几条发，最后发“完成”）。`,
    );
    expect(app.sim.deliveries).toHaveLength(0);
    // Exactly at the limit it is handled (here: keyword search finds nothing in it, and says so).
    const atLimit = await app.wecomSide.sendText('zhaoliu', '学'.repeat(maxTextChars));
    expect(atLimit.passiveReply ?? '').not.toContain('超过了单条');
    expect((await app.wecomSide.sendText('zhaoliu', '帮助')).passiveReply).toContain('帮助');
  });

  it('the 智能机器人: a 16 KB @-mention gets one stream within the byte limit, nothing to response_url, and the note last', async () => {
    const app = await start();
    const codec = new AibotCodec({
      token: AIBOT_ENV.WECOM_AIBOT_TOKEN,
      encodingAesKey: AIBOT_ENV.WECOM_AIBOT_ENCODING_AES_KEY,
      clock: app.clock,
      timestampWindowSec: 300,
    });
    const text = FLOODS['distinct ranges']!(16_000);
    const handled = [...text]
      .slice(0, maxTextChars - 10)
      .join('')
      .replace(/[^，]*$/, '');
    const message = {
      msgid: 'flood-1',
      aibotid: 'AIBOT',
      chatid: 'CHAT-STAFF',
      chattype: 'group',
      from: { userid: 'zhangsan' },
      response_url: app.sim.aibotResponseUrl('flood-1'),
      msgtype: 'text',
      text: { content: `@学习助手 ${handled}` },
    };
    const { query, body } = codec.sealInbound(message);
    const res = await app.app.inject({ method: 'POST', url: '/wecom/aibot', query, payload: body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    const frame = codec.openReply(res.body) as { stream: { finish: boolean; content: string } };
    await app.bot.idle();
    expect(frame.stream.finish).toBe(true);
    // The replies joined by the stream (two bytes between each) stay within the limit.
    expect(utf8Length(frame.stream.content)).toBeLessThanOrEqual(maxReplyBytes + 2 * maxReplyParts);
    expect(frame.stream.content).toMatch(/为免刷屏，我回答了前 \d 个。.*请分几次发送[^\n]*$/);
    expect(app.sim.deliveries.filter((d) => d.api === 'aibot/response')).toHaveLength(0);
  });
});
