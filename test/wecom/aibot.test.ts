import { afterEach, describe, expect, it } from 'vitest';
import { Composer } from '../../src/bot/composer.ts';
import { ManualClock } from '../../src/clock.ts';
import { MESSAGE_LIMITS } from '../../src/bot/limits.ts';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { utf8Length } from '../../src/utf8-text.ts';
import { EIGHT, LAW, QUESTION_SET_NOW } from '../answers/question-set.ts';
import { FIXTURE_CONTENT, realHandlers, semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * The 智能机器人 through its real route: JSON envelopes encrypted with the receive id "", as WeCom sends them
 * (docs 100719, 101031, 101033), and the simulated WeCom as the holder of each message's response_url.
 */
const AIBOT_ENV = { WECOM_AIBOT_TOKEN: 'AibotToken42', WECOM_AIBOT_ENCODING_AES_KEY: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' };

let t: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Frame = { msgtype: string; stream?: { id: string; finish: boolean; content: string }; text?: { content: string } };
let seq = 0;
const UNBOUNDED = { ...MESSAGE_LIMITS, maxReplyBytes: 1_000_000 };

async function start(options: Parameters<typeof startTestApp>[0] = {}) {
  t = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent(), ...options, env: { ...AIBOT_ENV, ...options.env } });
  const app = t;
  const codec = new AibotCodec({
    token: AIBOT_ENV.WECOM_AIBOT_TOKEN,
    encodingAesKey: AIBOT_ENV.WECOM_AIBOT_ENCODING_AES_KEY,
    clock: app.clock,
    timestampWindowSec: 300,
  });
  const post = async (message: object) => {
    const { query, body } = codec.sealInbound(message);
    const res = await app.app.inject({ method: 'POST', url: '/wecom/aibot', query, payload: body, headers: { 'content-type': 'application/json' } });
    return { status: res.statusCode, reply: res.body ? (codec.openReply(res.body) as Frame) : undefined, raw: res.body };
  };
  const message = (text: string, o: { chat?: 'group' | 'single'; user?: string; msgid?: string } = {}) => {
    const msgid = o.msgid ?? `msg-${++seq}`;
    return {
      msgid,
      aibotid: 'AIBOT',
      ...(o.chat !== 'single' ? { chatid: 'CHAT-STAFF' } : {}),
      chattype: o.chat ?? 'group',
      from: { userid: o.user ?? 'zhangsan' },
      response_url: app.sim.aibotResponseUrl(msgid),
      msgtype: 'text',
      text: { content: o.chat === 'single' ? text : `@学习助手 ${text}` },
    };
  };
  return { app, codec, post, message };
}

describe('智能机器人 (/wecom/aibot)', () => {
  it('answers URL verification with the decrypted echostr, and refuses a wrong signature', async () => {
    const { app, codec } = await start();
    const query = codec.sealEcho('echo-1234567890');
    const ok = await app.app.inject({ method: 'GET', url: '/wecom/aibot', query });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('echo-1234567890');
    const bad = await app.app.inject({ method: 'GET', url: '/wecom/aibot', query: { ...query, msg_signature: '0'.repeat(40) } });
    expect(bad.statusCode).toBe(403);
  });

  it('is off when its token and key are not configured', async () => {
    t = await startTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/wecom/aibot' })).statusCode).toBe(404);
  });

  it('refuses a message encrypted for a receive id other than "" (an app callback sent to the robot URL)', async () => {
    const { app } = await start();
    const corpCodec = new CallbackCodec({
      token: AIBOT_ENV.WECOM_AIBOT_TOKEN,
      encodingAesKey: AIBOT_ENV.WECOM_AIBOT_ENCODING_AES_KEY,
      corpId: 'wwcorp',
      clock: app.clock,
      timestampWindowSec: 300,
    });
    const { encrypt, signature, timestamp, nonce } = corpCodec.seal(
      JSON.stringify({ msgid: 'x', from: { userid: 'u' }, msgtype: 'text', text: { content: 'hi' } }),
    );
    const res = await app.app.inject({
      method: 'POST',
      url: '/wecom/aibot',
      query: { msg_signature: signature, timestamp, nonce },
      payload: JSON.stringify({ encrypt }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_receive_id' });
    expect(
      (await app.app.inject({ method: 'POST', url: '/wecom/aibot', query: { msg_signature: signature, timestamp, nonce }, payload: 'not json' })).json(),
    ).toEqual({ error: 'bad_json' });
  });

  it('answers "@学习助手 第四十七条" in a group in one finished stream frame, and a retry gets the same frame', async () => {
    const { post, message } = await start();
    const m = message('第四十七条');
    const first = await post(m);
    expect(first.status).toBe(200);
    expect(first.reply!.msgtype).toBe('stream');
    expect(first.reply!.stream!.finish).toBe(true);
    expect(first.reply!.stream!.content).toContain(`${LAW}第四十七条`);
    expect(first.reply!.stream!.content).toContain('高等学校实行教师职务制度');
    const retry = await post(m);
    expect(retry.reply).toEqual(first.reply);
  });

  it('understands mixed and quote messages, strips the mention, and answers schedule questions in the group', async () => {
    const { post, app } = await start();
    const mixed = await post({
      msgid: 'mixed-1',
      chatid: 'C',
      chattype: 'group',
      from: { userid: 'lisi' },
      response_url: app.sim.aibotResponseUrl('mixed-1'),
      msgtype: 'mixed',
      mixed: {
        msg_item: [
          { msgtype: 'text', text: { content: '@学习助手 八项规定第三条' } },
          { msgtype: 'image', image: { url: 'https://example.invalid/x.png' } },
        ],
      },
    });
    expect(mixed.reply!.stream!.content).toContain(`${EIGHT}第三条`);
    const quote = await post({
      msgid: 'quote-1',
      chatid: 'C',
      chattype: 'group',
      from: { userid: 'lisi' },
      msgtype: 'quote',
      text: { content: '@学习助手 9月20日学什么' },
      quote: { msgtype: 'text', text: { content: '下周有学习吗' } },
    });
    expect(quote.reply!.stream!.content).toContain('9月20日（星期二，第3周） 政治理论学习');
  });

  it('points personal business to the one-to-one chat in a group, and a form in progress never takes a group message', async () => {
    const { post, message, app } = await start();
    const group = await post(message('提交记录'));
    expect(group.reply!.stream!.content).toContain('请在与学习助手的单聊中发送');
    const office = await post(message('谁还没交', { user: 'dangban-wang' }));
    expect(office.reply!.stream!.content).toContain('请在与学习助手的单聊中发送');
    // A secretary starts the form in the app's one-to-one chat, then asks in the group.
    const privateReply = (await app.wecomSide.sendText('zhangsan', '提交记录')).passiveReply ?? '';
    expect(privateReply).toContain('学习组');
    const inGroup = await post(message('第四十七条'));
    expect(inGroup.reply!.stream!.content).toContain(`${LAW}第四十七条`);
    expect(inGroup.reply!.stream!.content).not.toContain('您正在填写');
  });

  it("keeps a slow answer's stream open and finishes it on WeCom's refresh", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handlers = new Composer()
      .use(async (ctx, next) => {
        if (ctx.text === '慢') {
          await gate;
          return ctx.reply('慢的回答');
        }
        return next();
      })
      .use(await realHandlers(new ManualClock(QUESTION_SET_NOW)))
      .middleware();
    const { post, message } = await start({ handlers, env: { PASSIVE_REPLY_BUDGET_MS: '20' } });
    const opened = await post(message('慢'));
    expect(opened.reply!.stream!.finish).toBe(false);
    const id = opened.reply!.stream!.id;
    // WeCom refreshes from the asking user's client, in the chat the question was asked in.
    const refresh = () =>
      post({
        msgid: `refresh-${++seq}`,
        aibotid: 'AIBOT',
        chattype: 'group',
        chatid: 'CHAT-STAFF',
        from: { userid: 'zhangsan' },
        msgtype: 'stream',
        stream: { id },
      });
    expect((await refresh()).reply!.stream).toMatchObject({ id, finish: false });
    release();
    await t!.bot.idle();
    expect((await refresh()).reply!.stream).toEqual({ id, finish: true, content: '慢的回答' });
    // A stream that is finished and gone (WeCom's 6-minute window has passed) is ended politely, not left open.
    t!.clock.advance(6 * 60_000);
    expect((await refresh()).reply!.stream).toMatchObject({ id, finish: true, content: expect.stringContaining('过期') });
  });

  it('sends what does not fit one frame to response_url, once', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `第${i + 1}行：高等学校实行教师职务制度。`).join('\n');
    const handlers = new Composer().use((ctx) => ctx.reply(long)).middleware();
    // The transport's own frame limit, under limits per message raised past it (src/bot/limits.ts keeps answers smaller).
    const { post, message, app } = await start({ handlers, limits: UNBOUNDED });
    const m = message('很长的回答');
    const frame = await post(m);
    expect(frame.reply!.stream!.finish).toBe(true);
    expect(utf8Length(frame.reply!.stream!.content)).toBeLessThanOrEqual(20_480);
    await t!.bot.idle();
    const posted = app.sim.deliveries.filter((d) => d.api === 'aibot/response');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.to).toBe(m.msgid);
    expect(frame.reply!.stream!.content + '\n' + posted[0]!.text).toBe(long);
    expect(utf8Length(long)).toBeGreaterThan(20_480);
    await post(m); // WeCom's retry
    await t!.bot.idle();
    expect(app.sim.deliveries.filter((d) => d.api === 'aibot/response')).toHaveLength(1);
  });

  it('cuts what would not fit even response_url, and says so', async () => {
    const huge = Array.from({ length: 2000 }, (_, i) => `第${i + 1}行：高等学校实行教师职务制度。`).join('\n');
    const { post, message, app } = await start({ handlers: new Composer().use((ctx) => ctx.reply(huge)).middleware(), limits: UNBOUNDED });
    await post(message('非常长'));
    await t!.bot.idle();
    const posted = app.sim.deliveries.filter((d) => d.api === 'aibot/response');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain('内容太长，其余部分请分开询问');
  });

  it('sends an answer that outlives the stream to response_url', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handlers = new Composer()
      .use(async (ctx) => {
        await gate;
        await ctx.reply('等了很久的回答');
      })
      .middleware();
    const { post, message, app } = await start({ handlers, env: { PASSIVE_REPLY_BUDGET_MS: '20' } });
    const m = message('问题');
    expect((await post(m)).reply!.stream!.finish).toBe(false);
    app.clock.advance(7 * 60_000);
    release();
    await t!.bot.idle();
    const posted = app.sim.deliveries.filter((d) => d.api === 'aibot/response');
    expect(posted.map((d) => d.text)).toEqual(['等了很久的回答']);
  });

  it('welcomes on enter_chat with a text reply and routes card clicks as events', async () => {
    const seen: string[] = [];
    const real = await realHandlers(new ManualClock(QUESTION_SET_NOW));
    const handlers = new Composer()
      .use(async (ctx, next) => {
        if (ctx.message.type === 'event') seen.push(`${ctx.message.event}:${ctx.message.eventKey ?? ''}`);
        await next();
      })
      .use(real)
      .middleware();
    const { post } = await start({ handlers });
    const welcome = await post({
      msgid: 'e1',
      aibotid: 'AIBOT',
      chattype: 'single',
      from: { userid: 'zhangsan' },
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    });
    expect(welcome.reply).toEqual({ msgtype: 'text', text: { content: expect.stringContaining('学习助手') } });
    const click = await post({
      msgid: 'e2',
      aibotid: 'AIBOT',
      chattype: 'single',
      from: { userid: 'zhangsan' },
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: 'confirm', task_id: 'T1' } },
    });
    expect(click.status).toBe(200);
    expect(seen).toEqual(['enter_chat:', 'template_card_event:confirm']);
  });
});

describe('智能机器人 on the local chat page', () => {
  it('answers "@学习助手 第四十七条" sent to the page\'s group through the robot\'s real route', async () => {
    const { startLocalBot } = await import('../../src/local-bot.ts');
    const { createLogger } = await import('../../src/logger.ts');
    const bot = await startLocalBot({ CONTENT_DIR: FIXTURE_CONTENT }, createLogger('silent'), new ManualClock(QUESTION_SET_NOW));
    try {
      const res = await bot.app.inject({ method: 'POST', url: '/dev/chat/group-send', payload: { user: 'zhangsan', text: '@学习助手 第四十七条' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 200, finished: true, text: expect.stringContaining(`${LAW}第四十七条`) });
      const bad = await bot.app.inject({ method: 'POST', url: '/dev/chat/group-send', payload: { user: '../x', text: 'hi' } });
      expect(bad.statusCode).toBe(400);
    } finally {
      await bot.close();
    }
  });
});
