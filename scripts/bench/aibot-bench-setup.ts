import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
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
