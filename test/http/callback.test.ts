import { afterEach, describe, expect, it } from 'vitest';
import { Composer } from '../../src/bot/composer.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { ManualClock } from '../../src/clock.ts';
import { Content } from '../../src/content/content.ts';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { WeComCipher } from '../../src/wecom/cipher.ts';
import type { BotMessage } from '../../src/bot/message.ts';
import { signMessage } from '../../src/wecom/signature.ts';
import { buildXml } from '../../src/wecom/xml.ts';
import { HELP_TEXT } from '../../handlers/help.ts';
import { realHandlers, semesterContent } from '../helpers/content.ts';
import { TEST_CREDENTIALS } from '../helpers/fake-wecom.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { byKind } from '../helpers/vectors.ts';

let t: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Handlers that record what reached them, then fall through to the real ones. */
async function recording(seen: BotMessage[]) {
  const real = await realHandlers(new ManualClock(0));
  return new Composer()
    .use(async (ctx, next) => {
      seen.push(ctx.message);
      await next();
    })
    .use(real)
    .middleware();
}

const { corpId, token, encodingAesKey, agentId } = TEST_CREDENTIALS;

describe('GET /wecom/callback (URL verification)', () => {
  it('answers the decrypted echostr raw', async () => {
    t = await startTestApp();
    const echo = '5927782489442352469';
    const { query, body } = t.codec.sealInbound(echo, agentId);
    const encrypt = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(body)![1]!;
    const res = await t.app.inject({ method: 'GET', url: '/wecom/callback', query: { ...query, echostr: encrypt } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(echo);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  for (const v of byKind('verify_url')) {
    it(`verifies the published vector ${v.id} over HTTP, including an unencoded "+"`, async () => {
      t = await startTestApp({
        clock: new ManualClock(Number(v.inputs.timestamp) * 1000),
        env: { WECOM_TOKEN: v.inputs.token!, WECOM_ENCODING_AES_KEY: v.inputs.encoding_aes_key!, WECOM_CORP_ID: v.inputs.receive_id! },
      });
      // Raw query string: "+" left unencoded as some proxies deliver it.
      const qs = `msg_signature=${v.inputs.msg_signature}&timestamp=${v.inputs.timestamp}&nonce=${v.inputs.nonce}&echostr=${v.inputs.echostr}`;
      const res = await t.app.inject({ method: 'GET', url: `/wecom/callback?${qs}` });
      if (v.expected.error) {
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({ error: 'bad_signature' });
      } else {
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe(v.expected.plaintext);
      }
    });
  }
});

describe('POST /wecom/callback', () => {
  it('decrypts a published vector (Chinese text) and hands the typed message to the handlers', async () => {
    const v = byKind('decrypt_post').find((x) => x.id === 'tencent-py-decrypt-post')!;
    const seen: BotMessage[] = [];
    t = await startTestApp({
      clock: new ManualClock(Number(v.inputs.timestamp) * 1000),
      env: { WECOM_TOKEN: v.inputs.token!, WECOM_ENCODING_AES_KEY: v.inputs.encoding_aes_key!, WECOM_CORP_ID: v.inputs.receive_id! },
      handlers: await recording(seen),
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/wecom/callback',
      query: { msg_signature: v.inputs.msg_signature!, timestamp: v.inputs.timestamp!, nonce: v.inputs.nonce! },
      payload: v.inputs.body!,
      headers: { 'content-type': 'text/xml' },
    });
    expect(res.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ channel: 'app', type: 'text', text: '你好', userId: 'ChenJiaShun', id: '1456453720', chat: { type: 'single' } });
    expect(seen[0]!.original).toMatchObject({ agentId: '1000002' });
    // The passive reply is encrypted for the same corp and signed; it decrypts to a text reply to the sender.
    const reply = t.codec.openReply(res.body);
    expect(reply).toContain('<ToUserName><![CDATA[ChenJiaShun]]></ToUserName>');
    expect(reply).toContain('<MsgType><![CDATA[text]]></MsgType>');
  });

  it('answers 帮助 with the menu as an encrypted passive reply', async () => {
    t = await startTestApp();
    const r = await t.wecomSide.sendText('zhangsan', '帮助');
    expect(r).toEqual({ status: 200, passiveReply: HELP_TEXT(await semesterContent(), '2016-09-14', 'secretary') });
    expect(r.passiveReply).toMatch(/^您好，我是管理学院党总支的学习助手。/);
    expect(t.log()).toMatch(/"handler":"help".*"reply":"passive"/);
  });

  it("names the organisation as the content does (the plan's issuer), in the menu and the greeting", async () => {
    const c = await semesterContent();
    const content = new Content({ ...c.plan, issuer: '某某职业学院信息工程学院党委' }, c.schedule, c.documents, c.broadcast, c.roster);
    t = await startTestApp({ content });
    expect((await t.wecomSide.sendText('zhangsan', '帮助')).passiveReply).toMatch(/^您好，我是信息工程学院党委的学习助手。/);
    expect((await t.wecomSide.sendEvent('lisi', 'enter_agent')).passiveReply).toBe('您好，欢迎使用信息工程学院党委学习助手！发送“帮助”查看我能做什么。');
  });

  it('greets on enter_agent and keeps unknown message types instead of crashing', async () => {
    const seen: BotMessage[] = [];
    t = await startTestApp({ handlers: await recording(seen) });
    expect((await t.wecomSide.sendEvent('lisi', 'enter_agent')).passiveReply).toMatch(/欢迎使用/);
    const unknown = buildXml({ ToUserName: corpId, FromUserName: 'lisi', CreateTime: 1474246800, MsgType: 'miniprogram', MsgId: '99', AgentID: 1 });
    const r = await t.wecomSide.sendXml(unknown);
    expect(r.status).toBe(200);
    expect(seen[1]).toMatchObject({ type: 'other', kind: 'miniprogram', id: '99' });
    expect(r.passiveReply).toMatch(/只能处理文字消息/);
  });

  it('a failing handler gets a polite Chinese answer and the service keeps working', async () => {
    t = await startTestApp({
      handlers: new Composer()
        .hears('boom', '出错', () => {
          throw new Error('database on fire');
        })
        .use(await realHandlers(new ManualClock(0)))
        .middleware(),
    });
    const r = await t.wecomSide.sendText('u1', '出错');
    expect(r.passiveReply).toMatch(/^抱歉，处理您的消息时出了点问题/);
    expect(r.passiveReply).not.toMatch(/database/);
    expect((await t.wecomSide.sendText('u1', '帮助')).passiveReply).toBe(HELP_TEXT(await semesterContent(), '2016-09-14'));
  });
});

describe('retries and dedupe', () => {
  const countingHandlers = (calls: string[], delayMs = 0) =>
    new Composer()
      .hears('count', /^计数/, async (ctx: BotContext) => {
        calls.push(ctx.text!);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        await ctx.reply(`第${calls.length}次处理`);
      })
      .middleware();

  it('the same message delivered 3 times is handled once; every retry gets the same reply', async () => {
    const calls: string[] = [];
    t = await startTestApp({ handlers: countingHandlers(calls) });
    const xml = t.wecomSide.textXml('wangwu', '计数', '7000000000000000001');
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await t.wecomSide.sendXml(xml));
    expect(calls).toHaveLength(1);
    expect(replies.map((r) => r.passiveReply)).toEqual(['第1次处理', '第1次处理', '第1次处理']);
  });

  it('three concurrent deliveries of one message are handled once', async () => {
    const calls: string[] = [];
    t = await startTestApp({ handlers: countingHandlers(calls, 50) });
    const xml = t.wecomSide.textXml('wangwu', '计数', '7000000000000000002');
    const replies = await Promise.all([1, 2, 3].map(() => t!.wecomSide.sendXml(xml)));
    expect(calls).toHaveLength(1);
    expect(replies.every((r) => r.status === 200 && r.passiveReply === '第1次处理')).toBe(true);
  });

  it('different messages and events in the same second are all handled', async () => {
    const seen: BotMessage[] = [];
    t = await startTestApp({ handlers: await recording(seen) });
    await t.wecomSide.sendEvent('zhaoliu', 'enter_agent');
    await t.wecomSide.sendEvent('zhaoliu', 'click', 'MENU_HELP');
    await t.wecomSide.sendEvent('zhaoliu', 'click', 'MENU_SCHEDULE');
    await t.wecomSide.sendText('zhaoliu', '帮助');
    await t.wecomSide.sendText('zhaoliu', '帮助');
    expect(seen).toHaveLength(5);
  });
});

describe('reply paths', () => {
  it('a slow handler gets an empty 200 at once and its answer through message/send', async () => {
    // The handler waits until the test lets it go: if the route waited for it, the callback would never be answered
    // and the test would time out. No clock is read.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let handled = 0;
    t = await startTestApp({
      env: { PASSIVE_REPLY_BUDGET_MS: '100' },
      handlers: new Composer()
        .hears('slow', '慢', async (ctx) => {
          await gate;
          handled++;
          await ctx.reply('久等了');
        })
        .middleware(),
    });
    const r = await t.wecomSide.sendText('sunqi', '慢');
    expect(r).toEqual({ status: 200 });
    // Answered while the handler was still working: nothing replied yet, by either path.
    expect([handled, t.sim.deliveriesTo('sunqi').length]).toEqual([0, 0]);
    release();
    await t.bot.idle();
    expect(handled).toBe(1);
    expect(t.sim.deliveriesTo('sunqi').map((d) => d.text)).toEqual(['久等了']);
    expect(t.log()).toMatch(/"handler":"slow".*"reply":"api"/);
  });

  it('a reply over 2048 bytes is split on character boundaries and sent in order', async () => {
    const long = '学'.repeat(700) + '习'.repeat(700) + '😀'.repeat(100); // 4600 bytes
    t = await startTestApp({ handlers: new Composer().hears('long', '长', (ctx) => ctx.reply(long)).middleware() });
    const r = await t.wecomSide.sendText('u2', '长');
    expect(r.passiveReply).toBeUndefined();
    await t.bot.idle();
    const parts = t.sim.deliveriesTo('u2').map((d) => d.text);
    expect(parts.length).toBe(3);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
    expect(parts.join('')).toBe(long);
  });

  it('several replies and markdown go through the API in order', async () => {
    t = await startTestApp({
      handlers: new Composer()
        .hears('multi', '多', async (ctx) => {
          await ctx.reply('第一条');
          await ctx.reply({ markdown: '**第二条**' });
        })
        .middleware(),
    });
    expect(await t.wecomSide.sendText('u3', '多')).toEqual({ status: 200 });
    await t.bot.idle();
    expect(t.sim.deliveriesTo('u3').map((d) => [d.msgtype, d.text])).toEqual([
      ['text', '第一条'],
      ['markdown', '**第二条**'],
    ]);
  });
});

describe('bad input never reaches a handler and gets a 4xx with a code', () => {
  const seen: BotMessage[] = [];
  const now = Math.floor(Date.UTC(2016, 8, 19, 1, 0) / 1000);
  const signed = (encrypt: string, ts = String(now), nonce = '12345', tok: string = token) => ({
    query: { msg_signature: signMessage(tok, ts, nonce, encrypt), timestamp: ts, nonce },
    body: buildXml({ ToUserName: corpId, Encrypt: encrypt, AgentID: agentId }),
  });
  const inner = (from = 'attacker') =>
    buildXml({ ToUserName: corpId, FromUserName: from, CreateTime: now, MsgType: 'text', Content: '帮助', MsgId: '1', AgentID: 1 });
  const cipher = new WeComCipher(encodingAesKey, corpId);

  const cases: Array<[string, () => { query: Record<string, string>; body: string; contentType?: string }, number, string]> = [
    ['missing query parameters', () => ({ query: {}, body: signed(cipher.encrypt(inner())).body }), 400, 'missing_params'],
    [
      'bad signature',
      () => ({ ...signed(cipher.encrypt(inner())), query: { ...signed(cipher.encrypt(inner())).query, msg_signature: 'a'.repeat(40) } }),
      403,
      'bad_signature',
    ],
    ['signature made with another token', () => signed(cipher.encrypt(inner()), String(now), '1', 'OtherToken'), 403, 'bad_signature'],
    ['stale timestamp (replay)', () => signed(cipher.encrypt(inner()), String(now - 301)), 400, 'stale_timestamp'],
    ['future timestamp', () => signed(cipher.encrypt(inner()), String(now + 301)), 400, 'stale_timestamp'],
    ['non-XML body', () => ({ query: signed('x').query, body: 'hello, not xml' }), 400, 'bad_xml'],
    ['JSON body', () => ({ query: signed('x').query, body: '{"Encrypt":"abc"}', contentType: 'application/json' }), 400, 'bad_xml'],
    ['empty body', () => ({ query: signed('x').query, body: '' }), 400, 'bad_xml'],
    [
      'XML with a DTD and entities',
      () => ({ query: signed('x').query, body: '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaa">]><xml><Encrypt>&a;</Encrypt></xml>' }),
      400,
      'forbidden_xml',
    ],
    ['Encrypt missing', () => ({ query: signed('x').query, body: '<xml><ToUserName>x</ToUserName></xml>' }), 400, 'bad_xml'],
    ['bad base64', () => signed('!!!not*base64!!!'), 400, 'bad_base64'],
    [
      'truncated ciphertext (not whole blocks)',
      () => signed(Buffer.from(cipher.encrypt(inner()), 'base64').subarray(0, 40).toString('base64')),
      400,
      'bad_ciphertext',
    ],
    [
      'ciphertext tampered so the padding is invalid',
      () => {
        // In CBC, flipping a byte of the previous block flips the same byte of the last plaintext block:
        // the last padding byte (1..32) becomes ≥ 0x35, always invalid.
        const data = Buffer.from(cipher.encrypt(inner()), 'base64');
        data[data.length - 17]! ^= 0x55;
        return signed(data.toString('base64'));
      },
      400,
      'bad_padding',
    ],
    ['wrong corp id (receive id)', () => signed(new WeComCipher(encodingAesKey, 'wwsomeoneelse').encrypt(inner())), 400, 'bad_receive_id'],
    ['valid envelope around invalid inner XML', () => signed(cipher.encrypt('<xml><unclosed>')), 400, 'bad_xml'],
    ['valid envelope around a message without sender', () => signed(cipher.encrypt(buildXml({ MsgType: 'text', CreateTime: now }))), 400, 'bad_message'],
    ['oversized body', () => ({ query: signed('x').query, body: `<xml><Encrypt>${'A'.repeat(70 * 1024)}</Encrypt></xml>` }), 413, 'body_too_large'],
  ];

  for (const [name, make, status, code] of cases) {
    it(name, async () => {
      seen.length = 0;
      t ??= await startTestApp({ handlers: await recording(seen) });
      const { query, body, contentType } = make();
      const res = await t.app.inject({ method: 'POST', url: '/wecom/callback', query, payload: body, headers: { 'content-type': contentType ?? 'text/xml' } });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({ error: code });
      expect(seen).toHaveLength(0);
      // Logged once, with the code.
      expect(t.logLines.filter((l) => l.includes('"callback rejected"'))).toHaveLength(1);
    });
  }

  it('never logs or returns secrets', async () => {
    t = await startTestApp();
    await t.wecomSide.sendText('u', '帮助');
    await t.app.inject({ method: 'GET', url: '/wecom/callback?msg_signature=x&timestamp=1&nonce=1&echostr=abc' });
    const everything = t.log();
    for (const secret of [TEST_CREDENTIALS.secret, TEST_CREDENTIALS.token, TEST_CREDENTIALS.encodingAesKey]) expect(everything).not.toContain(secret);
  });
});

describe('over a real socket', () => {
  it('exchanges encrypted messages with a listening server', async () => {
    t = await startTestApp();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const codec = new CallbackCodec({ token, encodingAesKey, corpId, clock: t.clock, timestampWindowSec: 300 });
    const { query, body } = codec.sealInbound(t.wecomSide.textXml('socket-user', '菜单'), agentId);
    const res = await fetch(`${address}/wecom/callback?${new URLSearchParams(query)}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
    expect(codec.openReply(await res.text())).toContain(HELP_TEXT(await semesterContent(), '2016-09-14').slice(0, 20));

    const bad = await fetch(`${address}/wecom/callback?${new URLSearchParams({ ...query, msg_signature: '0'.repeat(40) })}`, { method: 'POST', body });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toEqual({ error: 'bad_signature' });
  });
});
