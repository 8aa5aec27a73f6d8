import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';
import { AibotSender } from '../../src/wecom/aibot/sender.ts';
import type { startTestApp } from '../helpers/test-app.ts';
import { questionSetApp } from './question-set-app.ts';
import { QUESTIONS } from './question-set.ts';

/**
 * The same question set as questions.test.ts, asked in a group chat as "@学习助手 …" through the 智能机器人's real
 * route (JSON envelopes, receive id ""): both transports give the same answers, because the core knows neither.
 */
const AIBOT_ENV = { WECOM_AIBOT_TOKEN: 'AibotToken42', WECOM_AIBOT_ENCODING_AES_KEY: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' };

describe(`question set (${QUESTIONS.length} questions) through the 智能机器人 in a group`, () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let group: AibotSender;
  let n = 0;
  beforeAll(async () => {
    t = await questionSetApp(AIBOT_ENV);
    const codec = new AibotCodec({
      token: AIBOT_ENV.WECOM_AIBOT_TOKEN,
      encodingAesKey: AIBOT_ENV.WECOM_AIBOT_ENCODING_AES_KEY,
      clock: t.clock,
      timestampWindowSec: 300,
    });
    group = new AibotSender(
      codec,
      async (query, body) => {
        const res = await t.app.inject({ method: 'POST', url: '/wecom/aibot', query, payload: body, headers: { 'content-type': 'application/json' } });
        return { status: res.statusCode, body: res.body };
      },
      (msgid) => t.sim.aibotResponseUrl(msgid),
    );
  });
  afterAll(() => t.close());

  for (const [question, includes, excludes = []] of QUESTIONS) {
    it(question, async () => {
      const before = t.sim.deliveries.length;
      const answer = await group.mention(`g${++n}`, `chat-${n}`, question);
      await t.bot.idle();
      // What did not fit one stream frame went to the message's response_url.
      const rest = t.sim.deliveries
        .slice(before)
        .filter((d) => d.api === 'aibot/response')
        .map((d) => d.text);
      const all = [answer.text, ...rest].join('\n');
      expect(answer.finished).toBe(true);
      for (const s of includes) expect(all, all).toContain(s);
      for (const s of excludes) expect(all, all).not.toContain(s);
    });
  }
});
