import { ManualClock } from '../../src/clock.ts';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';
import { QUESTION_SET_NOW } from '../answers/question-set.ts';
import { semesterContent } from './content.ts';
import { startTestApp } from './test-app.ts';

/**
 * WeCom's side of the 智能机器人 for tests: the real app with the robot configured, and messages and stream refreshes
 * sealed as WeCom seals them (receive id ""), posted through the real route.
 */
export const AIBOT_ENV = { WECOM_AIBOT_TOKEN: 'AibotToken42', WECOM_AIBOT_ENCODING_AES_KEY: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' };

export type Frame = { msgtype: string; stream?: { id: string; finish: boolean; content: string }; text?: { content: string } };

let seq = 0;

export async function startAibotApp(options: Parameters<typeof startTestApp>[0] = {}) {
  const app = await startTestApp({
    clock: new ManualClock(QUESTION_SET_NOW),
    content: await semesterContent(),
    ...options,
    env: { ...AIBOT_ENV, ...options.env },
  });
  const codec = new AibotCodec({
    token: AIBOT_ENV.WECOM_AIBOT_TOKEN,
    encodingAesKey: AIBOT_ENV.WECOM_AIBOT_ENCODING_AES_KEY,
    clock: app.clock,
    timestampWindowSec: 300,
  });
  const post = async (message: object) => {
    const { query, body } = codec.sealInbound(message);
    const res = await app.app.inject({ method: 'POST', url: '/wecom/aibot', query, payload: body, headers: { 'content-type': 'application/json' } });
    return { status: res.statusCode, reply: res.body ? (codec.openReply(res.body) as Frame) : undefined };
  };
  type Where = { chat?: string; user?: string };
  /** "@学习助手 text" in a group (`chat`, default CHAT-STAFF) from `user` (default zhangsan); `responseUrl` overrides WeCom's. */
  const message = (text: string, o: Where & { msgid?: string; responseUrl?: string } = {}) => {
    const msgid = o.msgid ?? `msg-${++seq}`;
    return {
      msgid,
      aibotid: 'AIBOT',
      chatid: o.chat ?? 'CHAT-STAFF',
      chattype: 'group',
      from: { userid: o.user ?? 'zhangsan' },
      response_url: o.responseUrl ?? app.sim.aibotResponseUrl(msgid),
      msgtype: 'text',
      text: { content: `@学习助手 ${text}` },
    };
  };
  /** WeCom's refresh of a stream, as the asking user's client sends it (or as someone else would). */
  const refresh = (id: string, o: Where = {}) =>
    post({
      msgid: `refresh-${++seq}`,
      aibotid: 'AIBOT',
      chatid: o.chat ?? 'CHAT-STAFF',
      chattype: 'group',
      from: { userid: o.user ?? 'zhangsan' },
      msgtype: 'stream',
      stream: { id },
    });
  return { app, codec, post, message, refresh, transport: app.aibot!.transport };
}
