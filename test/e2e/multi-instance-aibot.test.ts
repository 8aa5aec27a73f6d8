import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { AIBOT_ENV, type Frame } from '../helpers/aibot-side.ts';
import { TEST_CREDENTIALS } from '../helpers/fake-wecom.ts';
import { PG_URL, postgresAvailable } from '../helpers/postgres.ts';
import { spawnService, type RunningService } from '../helpers/spawn-service.ts';
import { TEST_ENV } from '../helpers/test-app.ts';

/**
 * Two service processes behind one 智能机器人 URL, sharing one PostgreSQL (issue 22): a question asked through A opens a
 * stream, and WeCom's refreshes, landing on B, get A's answer. The reply budget is 0 ms, so an answer that needs the
 * database opens a stream instead of coming back at once. (Runs on the test database as it is: stream ids are random.)
 */
describe.skipIf(!postgresAvailable)('two instances on one PostgreSQL: 智能机器人 streams', () => {
  let sim: WeComSimulator;
  let a: RunningService;
  let b: RunningService;
  const codec = new AibotCodec({
    token: AIBOT_ENV.WECOM_AIBOT_TOKEN,
    encodingAesKey: AIBOT_ENV.WECOM_AIBOT_ENCODING_AES_KEY,
    clock: systemClock,
    timestampWindowSec: 300,
  });
  const run = Date.now().toString(36);
  let seq = 0;

  const post = async (svc: RunningService, message: object): Promise<Frame> => {
    const { query, body } = codec.sealInbound(message);
    const res = await fetch(`${svc.baseUrl}/wecom/aibot?${new URLSearchParams(query)}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    return codec.openReply(await res.text()) as Frame;
  };
  const ask = (svc: RunningService, text: string, user: string) => {
    const msgid = `multi-aibot-${run}-${++seq}`;
    return post(svc, {
      msgid,
      aibotid: 'AIBOT',
      chatid: 'CHAT-STAFF',
      chattype: 'group',
      from: { userid: user },
      response_url: sim.aibotResponseUrl(msgid),
      msgtype: 'text',
      text: { content: `@学习助手 ${text}` },
    });
  };
  const refresh = (svc: RunningService, id: string, user: string, chat = 'CHAT-STAFF') =>
    post(svc, {
      msgid: `multi-aibot-refresh-${run}-${++seq}`,
      aibotid: 'AIBOT',
      chatid: chat,
      chattype: 'group',
      from: { userid: user },
      msgtype: 'stream',
      stream: { id },
    });

  beforeAll(async () => {
    sim = new WeComSimulator({ ...TEST_CREDENTIALS, clock: systemClock });
    const apiBase = await sim.start();
    const env = { ...TEST_ENV, ...AIBOT_ENV, WECOM_API_BASE: apiBase, DATABASE_URL: PG_URL!, PASSIVE_REPLY_BUDGET_MS: '0' };
    [a, b] = await Promise.all([spawnService(env), spawnService(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sim?.stop();
  });

  it('a question asked through A, refreshed through B, gets the answer; nobody else gets it from B', { timeout: 30_000 }, async () => {
    const user = `stream-${run}`;
    // The answer must still be in progress when A answers WeCom, or there is no stream to refresh. Rather than hope a
    // handler outlasts the 0 ms budget, hold it: the bot saves the user's conversation memory after its handlers (the
    // article just asked), and that save waits while this test holds the user's row. So the stream is open, with the
    // answer's text already written for B, until the row is let go.
    await ask(a, '高等教育法第四十六条', user);
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    const rowExists = async () => (await holder.query('SELECT 1 FROM conversation_memory WHERE user_id = $1', [user])).rowCount === 1;
    for (let i = 0; i < 200 && !(await rowExists()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rowExists()).toBe(true);
    let opened: Frame;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM conversation_memory WHERE user_id = $1 FOR UPDATE', [user]);
      opened = await ask(a, '高等教育法第四十七条', user);
      expect(opened.stream!.finish).toBe(false);
      // Mid-answer, B already serves what A has written so far.
      let partial = await refresh(b, opened.stream!.id, user);
      for (let i = 0; i < 100 && !partial.stream!.content.includes('第四十七条'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        partial = await refresh(b, opened.stream!.id, user);
      }
      expect(partial.stream).toMatchObject({ finish: false, content: expect.stringContaining('第四十七条') });
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
    }
    const id = opened!.stream!.id;

    // WeCom refreshes until finish, every refresh landing on B.
    let last = await refresh(b, id, user);
    for (let i = 0; i < 100 && !last.stream!.finish; i++) {
      await new Promise((r) => setTimeout(r, 50));
      last = await refresh(b, id, user);
    }
    expect(last.stream).toMatchObject({ id, finish: true, content: expect.stringContaining('第四十七条') });
    expect(last.stream!.content).not.toContain('过期');
    // The same finished frame again, from either instance.
    expect((await refresh(b, id, user)).stream).toEqual(last.stream);
    expect((await refresh(a, id, user)).stream).toEqual(last.stream);
    // Someone else, or the same user in another chat, is told what an unknown stream is told.
    for (const [who, chat] of [
      [`other-${run}`, 'CHAT-STAFF'],
      [user, 'CHAT-OTHER'],
    ] as const) {
      const stolen = await refresh(b, id, who, chat);
      expect(stolen.stream!.content).not.toContain('第四十七条');
      expect(stolen.stream!.content).toContain('过期');
    }
  });
});
