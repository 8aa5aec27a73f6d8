import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Composer } from '../../src/bot/composer.ts';
import { MESSAGE_LIMITS } from '../../src/bot/limits.ts';
import { checkResponseUrl } from '../../src/wecom/aibot/response-url.ts';
import { newStream, STREAM_WINDOW_MS, StreamRegistry } from '../../src/wecom/aibot/streams.ts';
import { utf8Length } from '../../src/utf8-text.ts';
import { startAibotApp } from '../helpers/aibot-side.ts';
import { slowAnswers } from '../helpers/slow-answers.ts';

/**
 * Issue 23, finding 5 and the smaller ones about the 智能机器人: streams bounded in time, size and number and freed
 * after WeCom's 6-minute window; the finished frame served to every refresh; a refresh answered only for the stream's
 * own user and chat; response_url posted only to WeCom's API host. Everything through the real /wecom/aibot route.
 */
/** The transport's own frame bound is tested under per-message limits raised past it (src/bot/limits.ts keeps real answers smaller). */
const UNBOUNDED = { ...MESSAGE_LIMITS, maxReplyParts: 1_000, maxReplyBytes: 10_000_000 };

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function start(options: Parameters<typeof startAibotApp>[0] = {}) {
  const s = await startAibotApp({ ...options, env: { PASSIVE_REPLY_BUDGET_MS: '20', ...options.env } });
  close = s.app.close;
  return s;
}

describe('智能机器人 streams', () => {
  it("serve the finished frame to every refresh within WeCom's window, then free it", async () => {
    const slow = slowAnswers();
    const { post, message, refresh, transport, app } = await start({ handlers: slow.handlers });
    const opened = await post(message('慢2x50'));
    expect(opened.reply!.stream!.finish).toBe(false);
    const id = opened.reply!.stream!.id;
    slow.releaseAll();
    await app.bot.idle();
    const first = await refresh(id);
    expect(first.reply!.stream).toMatchObject({ id, finish: true, content: expect.stringContaining('第2问的回答') });
    // WeCom asks again (its answer was lost): the same finished frame, not "过期", for as long as it may ask.
    app.clock.advance(5 * 60_000);
    expect((await refresh(id)).reply).toEqual(first.reply);
    expect(transport.liveStreams).toBe(1);
    app.clock.advance(STREAM_WINDOW_MS - 5 * 60_000);
    expect((await refresh(id)).reply!.stream).toMatchObject({ id, finish: true, content: expect.stringContaining('过期') });
    expect(transport.liveStreams).toBe(0);
  });

  it("answer a refresh only for the stream's own user in its own chat", async () => {
    const slow = slowAnswers();
    const { post, message, refresh, app } = await start({ handlers: slow.handlers });
    const id = (await post(message('慢1x40', { user: 'zhangsan', chat: 'CHAT-STAFF' }))).reply!.stream!.id;
    slow.releaseAll();
    await app.bot.idle();
    for (const other of [
      { user: 'lisi', chat: 'CHAT-STAFF' },
      { user: 'zhangsan', chat: 'CHAT-OTHER' },
      { user: 'lisi', chat: 'CHAT-OTHER' },
    ]) {
      const stolen = (await refresh(id, other)).reply!.stream!;
      expect(stolen.content, JSON.stringify(other)).not.toContain('第1问的回答');
      expect(stolen.content).toContain('过期');
    }
    expect((await refresh(id)).reply!.stream).toMatchObject({ finish: true, content: expect.stringContaining('第1问的回答') });
  });

  it('are bounded in size: a long multi-question answer is one frame, one response_url message that says it was cut, and no more', async () => {
    const slow = slowAnswers();
    const { post, message, refresh, app } = await start({ handlers: slow.handlers, limits: UNBOUNDED });
    const id = (await post(message('慢300x1000'))).reply!.stream!.id; // ~300 answers of ~3 KB: about 900 KB
    slow.releaseAll();
    await app.bot.idle();
    const frame = (await refresh(id)).reply!.stream!;
    expect(frame.finish).toBe(true);
    expect(utf8Length(frame.content)).toBeLessThanOrEqual(20_480);
    await app.bot.idle();
    const posted = app.sim.deliveries.filter((d) => d.api === 'aibot/response');
    expect(posted).toHaveLength(1);
    expect(utf8Length(posted[0]!.text)).toBeLessThanOrEqual(20_480);
    expect(posted[0]!.text).toContain('内容太长，其余部分请分开询问');
    // Refreshed again: the same frame, and nothing more to response_url.
    expect((await refresh(id)).reply!.stream).toEqual(frame);
    await app.bot.idle();
    expect(app.sim.deliveries.filter((d) => d.api === 'aibot/response')).toHaveLength(1);
  });

  it('do not accumulate: many long multi-question streams, refreshed or not, are all freed after the window (leak test)', { timeout: 60_000 }, async () => {
    const slow = slowAnswers();
    const { post, message, refresh, transport, app } = await start({ handlers: slow.handlers });
    for (let round = 0; round < 3; round++) {
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) ids.push((await post(message('慢40x500', { user: `u${i % 7}`, chat: `C${i % 3}` }))).reply!.stream!.id);
      expect(transport.liveStreams).toBe(60);
      slow.releaseAll();
      await app.bot.idle();
      // Half are refreshed to the end (as WeCom does), half never again (a client gone): both kinds must go.
      for (const [i, id] of ids.entries())
        if (i % 2 === 0) expect((await refresh(id, { user: `u${i % 7}`, chat: `C${i % 3}` })).reply!.stream!.finish).toBe(true);
      app.clock.advance(STREAM_WINDOW_MS);
      await post(message('快')); // any callback sweeps
      expect(transport.liveStreams).toBe(0);
    }
  });
});

describe('the stream registry', () => {
  it('holds at most its bound: a served finished stream makes way, one still needed does not', () => {
    const reg = new StreamRegistry(2);
    const a = newStream('a', 'u', 'single', 0, undefined);
    const b = newStream('b', 'u', 'single', 1, undefined);
    expect(reg.add(a, 2)).toBe(true);
    expect(reg.add(b, 2)).toBe(true);
    expect(reg.add(newStream('c', 'u', 'single', 2, undefined), 2)).toBe(false);
    a.done = true;
    a.served = true;
    expect(reg.add(newStream('d', 'u', 'single', 3, undefined), 3)).toBe(true);
    expect(reg.size).toBe(2);
    expect(reg.get('a', 'u', 'single')).toBeUndefined();
    expect(reg.get('d', 'u', 'single')).toBeDefined();
    expect(reg.get('d', 'v', 'single')).toBeUndefined();
  });
});

describe('response_url', () => {
  /** A service of someone else's on loopback, counting what reaches it. */
  async function bystander() {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    return { port, hits: () => hits, stop: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it("is posted only to WeCom's API host: another service on 127.0.0.1 gets nothing", async () => {
    const other = await bystander();
    try {
      const long = Array.from({ length: 400 }, (_, i) => `第${i + 1}行：高等学校实行教师职务制度。`).join('\n'); // more than a frame
      const { post, message, app } = await start({ handlers: new Composer().use((ctx) => ctx.reply(long)).middleware(), limits: UNBOUNDED });
      const simPort = new URL(app.sim.baseUrl).port;
      const hostile = [
        `http://127.0.0.1:${other.port}/cgi-bin/aibot/response?response_code=x`,
        `http://localhost:${simPort}/cgi-bin/aibot/response?response_code=x`,
        `http://user:pw@127.0.0.1:${simPort}/cgi-bin/aibot/response?response_code=x`,
        `${app.sim.baseUrl}/cgi-bin/message/send?access_token=x`,
        'not a url',
      ];
      for (const responseUrl of hostile) {
        const r = await post(message('很长的回答', { responseUrl }));
        expect(r.reply!.stream!.finish).toBe(true);
      }
      await app.bot.idle();
      expect(other.hits()).toBe(0);
      expect(app.sim.deliveries.filter((d) => d.api === 'aibot/response' || d.api === 'message/send')).toHaveLength(0);
      expect(app.log().match(/aibot response_url refused/g)).toHaveLength(hostile.length);
      expect(app.log()).not.toContain('response_code=x');
      // WeCom's own response_url still works.
      await post(message('很长的回答'));
      await app.bot.idle();
      expect(app.sim.deliveries.filter((d) => d.api === 'aibot/response')).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  it('is checked against the configured API base (no traffic: a pure check)', () => {
    const wecom = 'https://qyapi.weixin.qq.com';
    expect(checkResponseUrl('https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=abc', wecom).ok).toBe(true);
    // Through a proxy (WECOM_API_BASE): the proxy's own response path, and WeCom's official host, which real
    // response_urls name.
    const proxy = 'http://127.0.0.1:8080/wecom';
    expect(checkResponseUrl('http://127.0.0.1:8080/wecom/cgi-bin/aibot/response?response_code=abc', proxy).ok).toBe(true);
    expect(checkResponseUrl('https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=abc', proxy).ok).toBe(true);
    expect(checkResponseUrl('http://127.0.0.1:8080/cgi-bin/aibot/response?response_code=abc', proxy).ok).toBe(false);
    for (const bad of [
      'http://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=abc',
      'https://qyapi.weixin.qq.com:8443/cgi-bin/aibot/response',
      'https://qyapi.weixin.qq.com.evil.example/cgi-bin/aibot/response',
      'https://evil.example/cgi-bin/aibot/response#qyapi.weixin.qq.com',
      'https://169.254.169.254/cgi-bin/aibot/response',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
      'https://a@qyapi.weixin.qq.com/cgi-bin/aibot/response',
      'file:///etc/passwd',
    ])
      expect(checkResponseUrl(bad, wecom).ok, bad).toBe(false);
  });
});
