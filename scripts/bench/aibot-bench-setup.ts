import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AibotTransport } from '../../src/wecom/aibot/transport.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { BENCH_CREDENTIALS } from './credentials.ts';

/**
 * The 智能机器人 benches' common start: a simulated WeCom on the bench credentials and the service's config for it,
 * with the seed content and a 0 ms passive budget (every answer opens a stream, which is what they measure).
 */
export async function startAibotBench(clock: Clock): Promise<{ sim: WeComSimulator; config: Config }> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const { corpId, agentId, secret, token, encodingAesKey, aibotToken, aibotEncodingAesKey } = BENCH_CREDENTIALS;
  const sim = new WeComSimulator({ corpId, agentId, secret, clock });
  const apiBase = await sim.start();
  const config = loadConfig({
    CONTENT_DIR: path.join(root, 'content'),
    WECOM_CORP_ID: corpId,
    WECOM_AGENT_ID: agentId,
    WECOM_SECRET: secret,
    WECOM_TOKEN: token,
    WECOM_ENCODING_AES_KEY: encodingAesKey,
    WECOM_AIBOT_TOKEN: aibotToken,
    WECOM_AIBOT_ENCODING_AES_KEY: aibotEncodingAesKey,
    WECOM_API_BASE: apiBase,
    PASSIVE_REPLY_BUDGET_MS: '0',
  });
  return { sim, config };
}

/**
 * A group @-mention of the robot as WeCom delivers it (one msgid each, with its response_url), and a refresh of a
 * stream: what both benches send.
 */
export function groupChat(transport: AibotTransport, sim: WeComSimulator, question: string) {
  let seq = 0;
  return {
    ask: (user: string, chat: string) => {
      const msgid = `bench-${++seq}`;
      return transport.receive({
        msgid,
        aibotid: 'A',
        chatid: chat,
        chattype: 'group',
        from: { userid: user },
        response_url: sim.aibotResponseUrl(msgid),
        msgtype: 'text',
        text: { content: question },
      });
    },
    refresh: (via: AibotTransport, id: string, user: string, chat: string) =>
      via.receive({ msgid: `refresh-${++seq}`, aibotid: 'A', chatid: chat, chattype: 'group', from: { userid: user }, msgtype: 'stream', stream: { id } }),
  };
}
